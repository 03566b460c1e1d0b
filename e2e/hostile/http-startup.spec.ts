import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { recordHostile } from '../../lib/testing/faults/report';
import { freePort } from '../../lib/testing/free-port';

// `next start` with a bad environment, from the build this suite serves: instrumentation.ts
// must stop it before it listens, with one line naming the variable and exit code 2, not a
// stack trace and not a server that answers every API call with a 500. Its DATABASE_URL
// names a database that does not exist: "changed nothing" is that it still does not.


async function neverUsedDatabaseExists(): Promise<boolean> {
  const client = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM pg_database WHERE datname = 'dlq_never_used'")).rowCount === 1;
  } finally {
    await client.end();
  }
}

function startNext(env: Record<string, string>, port: number): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], {
      env: {
        ...process.env,
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/dlq_never_used',
        RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        NEXTAUTH_SECRET: 'startup-check-secret-startup-check-secret',
        NEXT_TELEMETRY_DISABLED: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    // A server that starts anyway is the failure: stop it and let the assertions say so.
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: output.split('\n').filter((l) => l.trim() !== '') });
    });
  });
}

const CASES: [string, Record<string, string>, RegExp][] = [
  ['NEXTAUTH_SECRET missing', { NEXTAUTH_SECRET: '' }, /^error: Invalid environment: NEXTAUTH_SECRET: must be set for the web app/],
  ['DATABASE_URL of another database', { DATABASE_URL: 'mysql://root@127.0.0.1/dlq' }, /^error: Invalid environment: DATABASE_URL: must be a postgresql:\/\/ URL$/],
  ['RABBITMQ_URL over http', { RABBITMQ_URL: 'http://127.0.0.1:15672' }, /^error: Invalid environment: RABBITMQ_URL: must be an amqp:\/\/ or amqps:\/\/ URL$/],
];

for (const [label, env, expected] of CASES) {
  test(`next start with ${label}: one line naming it, exit 2`, async () => {
    const port = await freePort();
    const { code, lines } = await startNext(env, port);
    const errors = lines.filter((l) => /error|invalid/i.test(l));
    const created = await neverUsedDatabaseExists();
    await recordHostile({ area: 'cli', case: `next start: ${label}`, outcome: `exit ${code}: ${errors.join(' | ').slice(0, 200)}`, changedNothing: !created });
    expect(created, 'no database created').toBe(false);
    expect(errors, 'one error line').toHaveLength(1);
    expect(errors[0]).toMatch(expected);
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
    // It never listened.
    expect(await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(() => 'answered', () => 'refused')).toBe('refused');
  });
}
