import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import amqp, { type Channel } from 'amqplib';
import { prisma } from '../lib/db/prisma';
import { parseEnv } from '../lib/env';
import { addSources } from '../lib/sources/add-sources';
import { createTestDatabase } from '../lib/testing/test-database';
import { TEST_RABBITMQ_URL } from '../lib/testing/test-broker';
import { runWorker } from '../lib/worker/run-worker';

// `npm run bench`: the console's ingest measured against the raw stack in the same run.
// Baseline: a plain amqplib consumer that consumes and acks the same messages from the
// same broker. Figures are ratios, never absolute targets. Not a test: it asserts nothing.

const { values } = parseArgs({
  options: {
    messages: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/latest.json' },
    // The worker's settings under test; the defaults are the worker's own defaults.
    prefetch: { type: 'string' },
    batch: { type: 'string' },
  },
  strict: true,
});
const total = values.messages ? Number(values.messages) : values.smoke ? 2000 : 100_000;
if (!Number.isInteger(total) || total < 1) {
  console.error('--messages must be a positive whole number');
  process.exit(2);
}
const defaults = parseEnv({});
const PREFETCH = values.prefetch ? Number(values.prefetch) : defaults.DLQ_PREFETCH;
const BATCH = values.batch ? Number(values.batch) : defaults.DLQ_BATCH_SIZE;
if (![PREFETCH, BATCH].every((n) => Number.isInteger(n) && n > 0) || BATCH > PREFETCH) {
  console.error('--prefetch and --batch must be positive whole numbers, batch <= prefetch');
  process.exit(2);
}

function messageBody(i: number): Buffer {
  const order = { orderId: `ord-${i}`, customer: { id: i % 977, tier: 'gold' }, lines: [{ sku: 'A-1', qty: 2, price: 19.99 }], note: '' };
  const json = JSON.stringify(order);
  return Buffer.from(JSON.stringify({ ...order, note: 'x'.repeat(Math.max(0, 1024 - json.length)) }));
}

function publishAll(channel: Channel, queue: string) {
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < total; i++) {
    channel.sendToQueue(queue, messageBody(i), {
      contentType: 'application/json', messageId: `m-${i}`, correlationId: `c-${i}`, timestamp: now,
      headers: {
        'x-tenant': 'acme', 'x-attempt': 3, 'x-sent-at': { '!': 'timestamp', value: now },
        'x-death': [{ queue: 'orders', reason: 'rejected', count: 1, exchange: 'shop', 'routing-keys': ['order.created'], time: { '!': 'timestamp', value: now } }],
        'x-first-death-queue': 'orders', 'x-first-death-reason': 'rejected', 'x-first-death-exchange': 'shop',
      },
    });
  }
}

async function waitForDepth(channel: Channel, queue: string) {
  while ((await channel.checkQueue(queue)).messageCount < total) await new Promise((r) => setTimeout(r, 100));
}

async function baselineRate(queue: string): Promise<number> {
  const conn = await amqp.connect(TEST_RABBITMQ_URL);
  const consumer = await conn.createChannel();
  await consumer.prefetch(PREFETCH);
  const started = performance.now();
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.consume(queue, (msg) => {
      if (!msg) return;
      consumer.ack(msg);
      if (++seen === total) resolve();
    });
  });
  const seconds = (performance.now() - started) / 1000;
  await conn.close();
  return total / seconds;
}

async function workerRate(queue: string): Promise<number> {
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [queue] });
  let stored = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const started = performance.now();
  const worker = runWorker({
    rabbitUrl: TEST_RABBITMQ_URL, refreshMs: 60_000, prefetch: PREFETCH, batchSize: BATCH, batchWaitMs: defaults.DLQ_BATCH_WAIT_MS, largeBodyBytes: 10 << 20,
    onStored: ({ inserted }) => { stored += inserted; if (stored >= total) done(); },
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  return total / seconds;
}

const db = await createTestDatabase('bench');
const connection = await amqp.connect(TEST_RABBITMQ_URL);
const channel = await connection.createChannel();
const prefix = `bench.${randomBytes(4).toString('hex')}`;
const queues = { baseline: `${prefix}.baseline`, worker: `${prefix}.dlq` };
try {
  for (const q of Object.values(queues)) await channel.assertQueue(q, { durable: true });
  console.log(`publishing ${total} messages of ~1 KiB JSON with typed headers to each queue...`);
  publishAll(channel, queues.baseline);
  publishAll(channel, queues.worker);
  await waitForDepth(channel, queues.baseline);
  await waitForDepth(channel, queues.worker);

  const baseline = await baselineRate(queues.baseline);
  const ingest = await workerRate(queues.worker);
  const stored = await prisma().message.count({ where: { sourceQueue: queues.worker } });
  const ratio = ingest / baseline;
  const rows = [
    { measure: `ingest (worker, prefetch ${PREFETCH}, batch ${BATCH})`, baseline: 'plain amqplib consume + ack', ratePerS: Math.round(ingest), baselinePerS: Math.round(baseline), ratio: Number(ratio.toFixed(3)), target: '>= 0.50', met: ratio >= 0.5 },
  ];
  console.table(rows);
  if (stored !== total) console.error(`stored ${stored} of ${total}: ingest lost or doubled messages`);

  const serverProps = (connection.connection as unknown as { serverProperties: { version?: string } }).serverProperties;
  const [pgVersion] = await prisma().$queryRaw<{ server_version: string }[]>`SHOW server_version`;
  const result = {
    at: new Date().toISOString(), messages: total, smoke: values.smoke,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}` },
    versions: { node: process.version, postgresql: pgVersion?.server_version, rabbitmq: serverProps.version },
    results: rows,
    storedExactly: stored === total,
  };
  await mkdir('bench/results', { recursive: true });
  await writeFile(values.out, JSON.stringify(result, null, 2));
  console.log(`wrote ${values.out}`);
  if (stored !== total) process.exitCode = 1;
} finally {
  for (const q of Object.values(queues)) await channel.deleteQueue(q).catch(() => {});
  await connection.close();
  await db.drop();
}
