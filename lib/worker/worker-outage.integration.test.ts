import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { addSources } from '../sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { runWorker, type TWorker } from './run-worker';

// The worker recovers by itself when the broker drops its connection and when the
// database kills its sessions, and still stores every message exactly once.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let worker: TWorker;
let dlq: string;
const connectionName = `dlq-outage-test-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase('outage');
  broker = await createTestBroker('outage');
  dlq = await broker.queue('dlq');
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
  worker = runWorker({ rabbitUrl: TEST_RABBITMQ_URL, connectionName, refreshMs: 200, prefetch: 50, batchSize: 10, batchWaitMs: 10, largeBodyBytes: 1 << 20 });
  await worker.ready;
});
afterAll(async () => {
  await worker?.stop();
  await broker?.cleanup();
  await db?.drop();
});

function publish(from: number, count: number) {
  for (let i = from; i < from + count; i++) broker.channel.sendToQueue(dlq, Buffer.from(`m${i}`), { messageId: `m-${i}` });
}

async function expectStoredOnce(total: number) {
  await waitFor(async () => (await prisma().message.count({ where: { sourceQueue: dlq } })) === total && (await broker.messageCount(dlq)) === 0, {
    timeoutMs: 45_000, intervalMs: 200, what: `${total} stored and the DLQ drained`,
  });
  const distinct = await prisma().message.findMany({ where: { sourceQueue: dlq }, distinct: ['messageId'], select: { messageId: true } });
  expect(distinct).toHaveLength(total);
}

it('reconnects after the broker closes its connection', async () => {
  publish(0, 200);
  await expectStoredOnce(200);
  const connections = execFileSync('rabbitmqctl', ['list_connections', '-q', 'pid', 'client_properties'], { encoding: 'utf8' })
    .split('\n').filter((line) => line.includes(connectionName));
  expect(connections).toHaveLength(1);
  const pid = connections[0]!.split('\t')[0]!;
  execFileSync('rabbitmqctl', ['close_connection', pid, 'test: broker outage']);
  publish(200, 200);
  await expectStoredOnce(400);
});

it('retries the batch when the database drops its sessions', async () => {
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    publish(400, 300);
    for (let i = 0; i < 5; i++) {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await admin.end();
  }
  await expectStoredOnce(700);
});
