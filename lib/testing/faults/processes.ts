import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApiToken } from '../../tokens/create-api-token';
import { freePort } from '../free-port';

// The real processes a fault scenario breaks: the worker (built, as `npm run worker` runs
// it) and the console (`next start` on a production build). Each keeps
// the tail of its output for failure messages; stopAll() ends whatever is still running.

export type TProcess = {
  child: ChildProcess;
  pid: number;
  kill(signal?: NodeJS.Signals): void;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last ~200 lines of its stdout and stderr. */
  output(): string;
};

const ROOT = path.resolve(import.meta.dirname, '../../..');
const OUTPUT_LINES = 200;
const running = new Set<TProcess>();

function track(child: ChildProcess, label: string): TProcess {
  if (child.pid === undefined) throw new Error(`${label} did not start`);
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const handle: TProcess = {
    child,
    pid: child.pid,
    kill: (signal = 'SIGTERM') => { if (child.exitCode === null && child.signalCode === null) child.kill(signal); },
    exited: () => exit,
    output: () => `--- ${label} (pid ${child.pid}) output ---\n${[...lines, partial].join('\n')}`,
  };
  running.add(handle);
  void exit.then(() => running.delete(handle));
  return handle;
}

let workerBuild: { nodeFlags: string[]; entry: string } | undefined;

/**
 * The worker as `npm run worker` runs it: built ahead of time (scripts/build-worker.mjs),
 * under node with the script's own flags. Built once per test file into a folder of its
 * own, so a file started beside another never runs a half-written bundle.
 */
function builtWorker() {
  if (workerBuild) return workerBuild;
  const script = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.worker ?? '';
  // The same reading as scripts/worker-command.ts: `... && exec node [--flag[=value] ...] <dir>/main.js`.
  const match = /(?:^|&&)\s*(?:exec\s+)?node\s+((?:--[\w-]+(?:=\S+)?\s+)*)(\S+\/main\.js)\s*$/.exec(script);
  if (!match) throw new Error(`package.json "worker" does not end with "node [flags] <dir>/main.js": ${JSON.stringify(script)}`);
  const outDir = `.worker-build-faults-${process.pid}`;
  const build = spawnSync(process.execPath, ['scripts/build-worker.mjs', '--out-dir', outDir], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the worker failed:\n${build.stdout}${build.stderr}`);
  process.once('exit', () => rmSync(path.join(ROOT, outDir), { recursive: true, force: true }));
  workerBuild = { nodeFlags: match[1]!.trim().split(/\s+/).filter(Boolean), entry: path.join(outDir, 'main.js') };
  return workerBuild;
}

/** The worker process. `env` overrides process.env (pass DATABASE_URL and RABBITMQ_URL). */
export function startWorker(env: Record<string, string | undefined>): TProcess {
  const { nodeFlags, entry } = builtWorker();
  const child = spawn(process.execPath, [...nodeFlags, entry], {
    cwd: ROOT,
    env: { ...process.env, DLQ_SOURCES: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child, 'worker');
}

/**
 * The production build `next start` serves: NEXT_DIST_DIR when set, else the e2e build
 * when there is one, else .next-faults, built once (the lock keeps two files from
 * building it at the same time).
 */
function productionBuild(): string {
  if (process.env.NEXT_DIST_DIR) return process.env.NEXT_DIST_DIR;
  if (existsSync(path.join(ROOT, '.next-e2e/BUILD_ID'))) return '.next-e2e';
  const distDir = '.next-faults';
  if (existsSync(path.join(ROOT, distDir, 'BUILD_ID'))) return distDir;
  // `next build` adds its folder's types to tsconfig.json's include; the file is put back as it was.
  const tsconfig = readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8');
  const script = `[ -f ${distDir}/BUILD_ID ] || node_modules/.bin/next build`;
  const build = spawnSync('flock', ['/tmp/faults-build.lock', 'bash', '-c', script], {
    cwd: ROOT,
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8') !== tsconfig) writeFileSync(path.join(ROOT, 'tsconfig.json'), tsconfig);
  if (build.status !== 0) throw new Error(`next build failed:\n${`${build.stdout}${build.stderr}`.split('\n').slice(-40).join('\n')}`);
  return distDir;
}

/** The console under `next start` on a free port; resolves once GET /api/v1/health answers 200. */
export async function startWeb(env: Record<string, string | undefined>): Promise<TProcess & { baseUrl: string }> {
  const distDir = productionBuild();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(ROOT, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1', '--keepAliveTimeout', '65000'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
      DLQ_SOURCES: '',
      LOG_LEVEL: 'warn',
      ...env,
      NEXT_DIST_DIR: distDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const web = Object.assign(track(child, 'web'), { baseUrl });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`next start exited (${child.exitCode ?? child.signalCode})\n${web.output()}`);
    const status = await fetch(`${baseUrl}/api/v1/health`).then((r) => r.status, () => 0);
    if (status === 200) return web;
    if (Date.now() > deadline) {
      web.kill('SIGKILL');
      throw new Error(`next start did not answer /api/v1/health with 200 within 90 s (last ${status})\n${web.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** SIGTERM to every process still running, SIGKILL to those that have not exited 8 s later; removes the worker's build. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(async (p) => {
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 8000);
    await p.exited();
    clearTimeout(timer);
  }));
  if (workerBuild) rmSync(path.join(ROOT, path.dirname(workerBuild.entry)), { recursive: true, force: true });
  workerBuild = undefined;
}

/**
 * An admin API token, created directly in the database of process.env.DATABASE_URL, for
 * calling the HTTP API. Four-eyes approval counts a token as the person who made it, so
 * each name is made by a person of its own: two names are two admins.
 */
export async function adminToken(_baseUrl?: string, name = `faults ${randomBytes(3).toString('hex')}`): Promise<string> {
  const { token } = await createApiToken({ actor: { kind: 'system', name: 'cli', by: name }, name, role: 'admin', expiresInDays: 1 });
  return token;
}

export { freePort };
