import { spawn, type ChildProcess } from 'node:child_process';
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

const distDir = () => process.env.NEXT_DIST_DIR || '.next-bench';
const nextEnv = () => ({ ...process.env, NEXT_DIST_DIR: distDir(), NEXT_TELEMETRY_DISABLED: '1' });

/** `next build` into the bench's folder, unless `reuseBuild` and a build is there. CPU work: run.ts runs it beside the memory measure. */
export async function buildConsole(options: { reuseBuild: boolean; log: (line: string) => void }): Promise<void> {
  if (options.reuseBuild && existsSync(`${distDir()}/BUILD_ID`)) return;
  options.log(`building the console into ${distDir()} (next build)...`);
  const build = spawn('node_modules/.bin/next', ['build'], { env: nextEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-16_000); };
  build.stdout.on('data', keep);
  build.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve, reject) => build.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output.split('\n').slice(-40).join('\n')}`);
}

/** `next start` of the build buildConsole() left, against `databaseUrl`, with an admin API token created there (prisma() must point at it). */
export async function startConsoleServer(options: { databaseUrl: string; rabbitUrl: string; log: (line: string) => void }): Promise<TConsoleServerHandle> {
  const env = nextEnv();
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
