import { spawn, type ChildProcess } from 'node:child_process';
import { createToken, expect, test } from '../support/fixtures';
import { freePort } from '../../lib/testing/free-port';

// The console's log lines as the built server writes them: pino JSON on stdout, one line per
// API request with the request id the response carries, and never the caller's credentials.
// A second `next start` of the same build, at LOG_LEVEL=info, whose output this spec reads.


let server: ChildProcess;
let baseUrl: string;
let output = '';

test.beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], {
    env: {
      ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, NEXTAUTH_URL: baseUrl, NEXTAUTH_SECRET: process.env.E2E_NEXTAUTH_SECRET,
      RABBITMQ_URL: process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672', DLQ_SOURCES: '', LOG_LEVEL: 'info', NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  server.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  await expect.poll(async () => (await fetch(`${baseUrl}/api/v1/health`).catch(() => null))?.status ?? 0, { timeout: 30_000, message: 'second server up' }).toBeGreaterThan(0);
});
test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
});

const jsonLines = () => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

test('each API request logs one JSON line with its request id, and no credentials', async () => {
  const { token } = await createToken('viewer');
  const missing = await fetch(`${baseUrl}/api/v1/messages/999999999999`, { headers: { authorization: `Bearer ${token}`, cookie: 'next-auth.session-token=cookie-secret-value' } });
  expect(missing.status).toBe(404);
  const refused = await fetch(`${baseUrl}/api/v1/messages`, { headers: { authorization: 'Bearer dlq_not-a-real-token-value' } });
  expect(refused.status).toBe(401);

  const lineOf = (requestId: string | null) => jsonLines().find((l) => l.msg === 'request' && l.requestId === requestId);
  await expect.poll(() => lineOf(missing.headers.get('x-request-id')), { message: 'the 404 request logged' }).toBeDefined();
  expect(lineOf(missing.headers.get('x-request-id'))).toEqual({
    level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), msg: 'request',
    requestId: missing.headers.get('x-request-id'), method: 'GET', path: '/api/v1/messages/999999999999', status: 404, ms: expect.any(Number),
    actor: expect.stringContaining('token'),
  });
  await expect.poll(() => lineOf(refused.headers.get('x-request-id'))).toMatchObject({ status: 401, actor: null });
  expect(output).not.toContain(token);
  expect(output).not.toContain('cookie-secret-value');
  expect(output).not.toContain('not-a-real-token-value');
});

test('a line logged inside a handler carries the request id of the request it serves', async () => {
  const { token } = await createToken('auditor');
  const exported = await fetch(`${baseUrl}/api/v1/audit/export?format=jsonl`, { headers: { authorization: `Bearer ${token}` } });
  expect(exported.status).toBe(200);
  await exported.text();
  const requestId = exported.headers.get('x-request-id');
  await expect.poll(() => jsonLines().find((l) => l.msg === 'audit exported' && l.requestId === requestId), { message: 'the export logged with its request id' })
    .toMatchObject({ level: 'info', format: 'jsonl', actor: expect.stringContaining('token') });
  expect(output).not.toContain(token);
});
