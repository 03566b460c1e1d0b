import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { addSources } from '../sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';

// The real worker process, killed with SIGKILL twice in the middle of ingesting
// thousands of dead letters, then restarted: every message is stored exactly once and
// the dead-letter queue ends empty.

const TOTAL = 6000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let dlq: string;
const running = new Set<ChildProcess>();

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/worker/main.ts'], {
    env: {
      ...process.env, DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL, DLQ_SOURCES: '',
      DLQ_PREFETCH: '400', DLQ_BATCH_SIZE: '100', DLQ_BATCH_WAIT_MS: '20', DLQ_SOURCES_REFRESH_MS: '200', LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exited(child: ChildProcess) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

const stored = () => prisma().message.count({ where: { sourceQueue: dlq } });

beforeAll(async () => {
  db = await createTestDatabase('crash');
  broker = await createTestBroker('crash');
  const dlx = await broker.exchange('dlx', 'fanout');
  dlq = await broker.queue('dlq');
  await broker.channel.bindQueue(dlq, dlx, '');
  // A queue TTL of 0: the broker dead-letters each message as soon as it arrives.
  const work = await broker.queue('work', { deadLetterExchange: dlx, messageTtl: 0 });
  for (let i = 0; i < TOTAL; i++) {
    broker.channel.sendToQueue(work, Buffer.from(JSON.stringify({ n: i, pad: 'x'.repeat(200) })), { messageId: `m-${i}`, contentType: 'application/json' });
  }
  await waitFor(async () => (await broker.messageCount(dlq)) === TOTAL, { timeoutMs: 60_000, what: `${TOTAL} messages in the DLQ` });
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
}, 120_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await broker?.cleanup();
  await db?.drop();
});

it('stores every message exactly once across two SIGKILLs', async () => {
  for (const fraction of [0.2, 0.55]) {
    const worker = startWorker();
    await waitFor(async () => (await stored()) >= TOTAL * fraction, { timeoutMs: 60_000, intervalMs: 20, what: `${fraction * 100}% stored` });
    worker.kill('SIGKILL');
    expect((await exited(worker)).signal).toBe('SIGKILL');
  }
  const before = await stored();
  expect(before).toBeLessThan(TOTAL);

  const worker = startWorker();
  await waitFor(async () => (await stored()) === TOTAL && (await broker.messageCount(dlq)) === 0, {
    timeoutMs: 90_000, intervalMs: 200, what: 'all messages stored and the DLQ drained',
  });
  worker.kill('SIGTERM');
  expect(await exited(worker)).toEqual({ code: 0, signal: null });

  const [counts] = await prisma().$queryRaw<{ rows: bigint; distinct: bigint }[]>`
    SELECT count(*) AS rows, count(DISTINCT message_id) AS distinct FROM messages WHERE source_queue = ${dlq}`;
  expect(Number(counts!.rows)).toBe(TOTAL);
  expect(Number(counts!.distinct)).toBe(TOTAL);
  expect(await broker.messageCount(dlq)).toBe(0);
}, 240_000);
