import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots, snapshotDatabase } from '../testing/db-snapshot';
import { recordHostile } from '../testing/faults/report';
import { createTestDatabase } from '../testing/test-database';
import { freePort as closedPort } from '../testing/free-port';

// The real entry points, run from source (lib/worker/main.ts, which `npm run worker`
// bundles and runs; `npm run cli`; `npm run db:migrate`), started with a bad environment or
// arguments: each must stop with ONE line that names the variable (or the argument), a
// non-zero exit code, no stack trace, and the database as it was. `next start` checks the
// same settings in instrumentation.ts: e2e/hostile/http-startup.spec.ts starts the build.

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const COMMANDS = {
  worker: ['lib/worker/main.ts'],
  cli: ['lib/cli/main.ts', 'users', 'create', '--email', 'env-case@example.com', '--password', 'a long enough password', '--role', 'viewer'],
  migrate: ['lib/db/migrate-cli.ts'],
} as const;
type TCommand = keyof typeof COMMANDS;

type TRun = { code: number | null; lines: string[]; stillRunning: boolean };

/**
 * Runs a command until it exits, or until `until` matches its output (then stops it: a
 * worker that retries forever). Lines are stdout and stderr together, blank ones dropped.
 */
function run(args: readonly string[], env: Record<string, string>, { until, timeoutMs = 45_000 }: { until?: RegExp; timeoutMs?: number } = {}): Promise<TRun> {
  return new Promise((resolve, reject) => {
    // Its own process group: tsx runs the script in a child, and stopping tsx alone would leave that running.
    const child = spawn(TSX, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info', DLQ_SOURCES: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      process.kill(-child.pid!, 'SIGKILL');
    };
    const timer = setTimeout(stop, timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      if (until?.test(output)) stop();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: output.split('\n').filter((l) => l.trim() !== ''), stillRunning: stopped });
    });
  });
}


/** The line as a person reads it: a JSON log line's message, or the line itself. */
function textOf(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
  } catch {
    return line;
  }
}

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let deadPort: number;

beforeAll(async () => {
  db = await createTestDatabase('env_errors');
  deadPort = await closedPort();
});

afterAll(async () => {
  await db?.drop();
});

const good = () => ({ DATABASE_URL: db.url, RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672', NEXTAUTH_SECRET: 'env-errors-secret-env-errors-secret-0123' });

/** Runs, checks the one-line rule and the database, records the case; returns the line. */
async function expectOneLine(command: TCommand, label: string, env: Record<string, string>, expected: { code: number; line: RegExp }) {
  const before = await snapshotDatabase(db.url);
  const result = await run(COMMANDS[command], { ...good(), ...env });
  const changes = diffSnapshots(before, await snapshotDatabase(db.url));
  const line = result.lines.map(textOf).join(' | ');
  await recordHostile({ area: 'cli', case: `${command}: ${label}`, outcome: `exit ${result.code}: ${line.slice(0, 200)}`, changedNothing: changes.length === 0 });
  expect(result.lines, `${command} ${label}: one line`).toHaveLength(1);
  expect(textOf(result.lines[0]!)).toMatch(expected.line);
  expect(result.lines[0]).not.toMatch(/\n\s+at /);
  expect(result.code, `${command} ${label}: exit code`).toBe(expected.code);
  expect(changes, `${command} ${label}: the database`).toEqual([]);
  return result.lines[0]!;
}

const INVALID: [string, Record<string, string>, RegExp][] = [
  ['DATABASE_URL of another database', { DATABASE_URL: 'mysql://root@127.0.0.1/dlq' }, /^(error: )?Invalid environment: DATABASE_URL: must be a postgresql:\/\/ URL$/],
  ['DATABASE_URL without a host', { DATABASE_URL: 'postgresql://' }, /^(error: )?Invalid environment: DATABASE_URL: must name a host/],
  ['DATABASE_URL that is not a URL', { DATABASE_URL: 'localhost:5432' }, /DATABASE_URL: must be a postgresql:\/\/ URL/],
  ['RABBITMQ_URL over http', { RABBITMQ_URL: 'http://127.0.0.1:15672' }, /^(error: )?Invalid environment: RABBITMQ_URL: must be an amqp:\/\/ or amqps:\/\/ URL$/],
  ['RABBITMQ_URL without a host', { RABBITMQ_URL: 'amqp://' }, /RABBITMQ_URL: must name a host/],
  ['DLQ_PREFETCH not a number', { DLQ_PREFETCH: 'lots' }, /^(error: )?Invalid environment: DLQ_PREFETCH: must be a number$/],
  ['NEXTAUTH_SECRET too short', { NEXTAUTH_SECRET: 'short' }, /NEXTAUTH_SECRET: must be at least 32 characters/],
  ['half an OIDC configuration', { OIDC_ISSUER: 'https://id.example.com' }, /OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: must be set too/],
  ['two bad variables', { DATABASE_URL: 'mysql://x', DLQ_BATCH_WAIT_MS: '-5' }, /DATABASE_URL: .*; DLQ_BATCH_WAIT_MS: must be a positive number/],
];

// Every command reads the environment through env(); the CLI gets every case, the worker and
// the migrations one of each kind (each spawn costs a couple of seconds of CPU).
const SOME = new Set(['RABBITMQ_URL over http', 'two bad variables']);
describe.each(['cli', 'worker', 'migrate'] as const)('%s with an invalid environment', (command) => {
  it.each(INVALID.filter(([label]) => command === 'cli' || SOME.has(label)))('%s: one line naming it, exit 2', async (label, env, line) => {
    await expectOneLine(command, label, env, { code: 2, line });
  });
});

describe('unreachable but valid URLs', () => {
  it('the CLI and the migrations: one line naming DATABASE_URL and where it points (password hidden), exit 1', async () => {
    const env = { DATABASE_URL: `postgresql://postgres:s3cret@127.0.0.1:${deadPort}/dlq_nowhere` };
    for (const command of ['cli', 'migrate'] as const) {
      const line = await expectOneLine(command, 'DATABASE_URL with nothing listening', env, { code: 1, line: new RegExp(`^error: cannot (reach|migrate) the database at postgresql://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${deadPort}/dlq_nowhere \\(DATABASE_URL\\): connect ECONNREFUSED`) });
      expect(line).not.toContain('s3cret');
    }
    await expectOneLine('migrate', 'DATABASE_URL with an unknown host', { DATABASE_URL: 'postgresql://postgres@no-such-host.invalid/dlq' }, { code: 1, line: /\(DATABASE_URL\): getaddrinfo ENOTFOUND no-such-host\.invalid/ });
  });

  it('the worker: one line naming DATABASE_URL, exit 1', async () => {
    await expectOneLine('worker', 'DATABASE_URL with nothing listening', { DATABASE_URL: `postgresql://postgres:s3cret@127.0.0.1:${deadPort}/dlq_nowhere` }, {
      code: 1, line: new RegExp(`^cannot reach the database at postgresql://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${deadPort}/dlq_nowhere \\(DATABASE_URL\\)`),
    });
  });

  it('the worker with RabbitMQ unreachable keeps retrying (a broker outage is survived), saying so on each attempt', async () => {
    const before = await snapshotDatabase(db.url);
    const result = await run(COMMANDS.worker, { ...good(), RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${deadPort}` }, { until: /cannot connect to RabbitMQ; retrying/ });
    const changes = diffSnapshots(before, await snapshotDatabase(db.url));
    const first = result.lines.map(textOf).find((l) => /RabbitMQ/.test(l));
    await recordHostile({ area: 'cli', case: 'worker: RABBITMQ_URL with nothing listening', outcome: `keeps running, retrying: ${first ?? '(no line)'}`, changedNothing: changes.filter((c) => !c.startsWith('worker_heartbeats')).length === 0 });
    expect(result.stillRunning, 'still running, retrying').toBe(true);
    expect(first).toMatch(/cannot connect to RabbitMQ; retrying/);
    expect(result.lines.join('\n')).not.toMatch(/\n\s+at /);
    // The worker writes its heartbeat (which says the broker is down); nothing else changes.
    expect(changes.filter((c) => !c.startsWith('worker_heartbeats'))).toEqual([]);
  });
});

// cli.integration.test.ts covers the usage errors one by one; these are the hostile ones.
describe('the CLI with hostile arguments', () => {
  const ARGS: [string, string[], RegExp][] = [
    ['a path as a command', ['../../etc/passwd'], /unknown command "..\/..\/etc\/passwd"/],
    ['an unknown flag', ['users', 'create', '--email', 'x@example.com', '--password', 'a long enough password', '--role', 'viewer', '--admin'], /--admin/],
    ['SQL in a value', ['teams', 'remove', "x'; DROP TABLE teams;--"], /No team named "x'; DROP TABLE teams;--"/],
    ['a control character in a name', ['sources', 'add', 'q\u0007bell'], /queue name contains control characters/],
  ];
  it.each(ARGS)('%s: a clear error, non-zero exit, nothing changed', async (label, args, message) => {
    const before = await snapshotDatabase(db.url);
    const result = await run(['lib/cli/main.ts', ...args], good());
    const changes = diffSnapshots(before, await snapshotDatabase(db.url));
    await recordHostile({ area: 'cli', case: `cli: ${label}`, outcome: `exit ${result.code}: ${result.lines[0]?.slice(0, 200) ?? ''}`, changedNothing: changes.length === 0 });
    expect(result.code).not.toBe(0);
    expect(result.lines[0]).toMatch(/^error: /);
    expect(result.lines.join('\n')).toMatch(message);
    expect(result.lines.join('\n')).not.toMatch(/\n\s+at /);
    expect(changes).toEqual([]);
  });
});
