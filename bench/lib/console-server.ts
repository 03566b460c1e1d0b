import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createApiToken } from '../../lib/tokens/create-api-token';
import type { TConsoleServer } from './types';
import { freePort } from '../../lib/testing/free-port';

// The console as users run it: a production build under `next start`, against the bench's
// database, called over HTTP with an admin API token. The build goes to its own folder
// (NEXT_DIST_DIR, default .next-bench) so a running console or the e2e build is not
// disturbed; `reuseBuild` uses what is there (CI's smoke run reuses the e2e build).

export type TConsoleServerHandle = TConsoleServer & { stop(): Promise<void> };


export async function startConsoleServer(options: { databaseUrl: string; rabbitUrl: string; reuseBuild: boolean; log: (line: string) => void }): Promise<TConsoleServerHandle> {
  const distDir = process.env.NEXT_DIST_DIR || '.next-bench';
  const env = { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' };
  if (!options.reuseBuild || !existsSync(`${distDir}/BUILD_ID`)) {
    options.log(`building the console into ${distDir} (next build)...`);
    const build = spawnSync('node_modules/.bin/next', ['build'], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (build.status !== 0) throw new Error(`next build failed:\n${(build.stdout + build.stderr).split('\n').slice(-40).join('\n')}`);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1', '--keepAliveTimeout', '65000'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...env,
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      RABBITMQ_URL: options.rabbitUrl,
      DLQ_SOURCES: '',
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${stderr}`);
    const up = await fetch(`${baseUrl}/api/v1/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`next start did not answer /api/v1/health within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const { token } = await createApiToken({ actor: { kind: 'system', name: 'cli' }, name: `bench ${randomBytes(3).toString('hex')}`, role: 'admin', expiresInDays: 1 });
  options.log(`console at ${baseUrl}`);
  return {
    baseUrl,
    token,
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 8000).unref();
      });
    },
  };
}
