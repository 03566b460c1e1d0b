import amqp, { type Channel } from 'amqplib';
import { prisma } from '../../lib/db/prisma';
import { parseEnv } from '../../lib/env';
import { addSources } from '../../lib/sources/add-sources';
import { runWorker } from '../../lib/worker/run-worker';
import type { TBenchContext, TMeasure } from '../lib/types';

// Ingest: the worker consuming N dead letters into PostgreSQL (ack after commit) against a
// plain amqplib consumer that consumes and acks the same N from the same broker.

export function messageBody(i: number): Buffer {
  const order = { orderId: `ord-${i}`, customer: { id: i % 977, tier: 'gold' }, lines: [{ sku: 'A-1', qty: 2, price: 19.99 }], note: '' };
  const json = JSON.stringify(order);
  return Buffer.from(JSON.stringify({ ...order, note: 'x'.repeat(Math.max(0, 1024 - json.length)) }));
}

/** N dead letters as RabbitMQ writes them: ~1 KiB JSON, typed headers, one x-death entry. */
export async function publishDeadLetters(channel: Channel, queue: string, total: number, originQueue = 'orders') {
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < total; i++) {
    const ok = channel.sendToQueue(queue, messageBody(i), {
      persistent: true, contentType: 'application/json', messageId: `m-${i}`, correlationId: `c-${i}`, timestamp: now,
      headers: {
        'x-tenant': 'acme', 'x-attempt': 3, 'x-sent-at': { '!': 'timestamp', value: now },
        'x-death': [{ queue: originQueue, reason: 'rejected', count: 1, exchange: '', 'routing-keys': [originQueue], time: { '!': 'timestamp', value: now } }],
        'x-first-death-queue': originQueue, 'x-first-death-reason': 'rejected', 'x-first-death-exchange': '',
      },
    });
    if (!ok) await new Promise((r) => channel.once('drain', r));
  }
  while ((await channel.checkQueue(queue)).messageCount < total) await new Promise((r) => setTimeout(r, 100));
}

async function baselineRate(ctx: TBenchContext, queue: string, total: number, prefetch: number): Promise<number> {
  const conn = await amqp.connect(ctx.rabbitUrl);
  const consumer = await conn.createChannel();
  await consumer.prefetch(prefetch);
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

async function workerRate(ctx: TBenchContext, queue: string, total: number): Promise<number> {
  const defaults = parseEnv({});
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [queue] });
  let stored = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const started = performance.now();
  const worker = runWorker({
    rabbitUrl: ctx.rabbitUrl, refreshMs: 60_000, prefetch: defaults.DLQ_PREFETCH, batchSize: defaults.DLQ_BATCH_SIZE, batchWaitMs: defaults.DLQ_BATCH_WAIT_MS, largeBodyBytes: 10 << 20,
    onStored: ({ inserted }) => { stored += inserted; if (stored >= total) done(); },
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  return total / seconds;
}

export const measure: TMeasure = {
  name: 'ingest',
  async run(ctx) {
    const total = ctx.sizes.ingest;
    const defaults = parseEnv({});
    const connection = await amqp.connect(ctx.rabbitUrl);
    const channel = await connection.createChannel();
    const queues = { baseline: `${ctx.prefix}.ingest-baseline`, worker: `${ctx.prefix}.ingest.dlq` };
    try {
      for (const q of Object.values(queues)) await channel.assertQueue(q, { durable: true });
      ctx.log(`ingest: publishing ${total} dead letters to each queue...`);
      await publishDeadLetters(channel, queues.baseline, total);
      await publishDeadLetters(channel, queues.worker, total);
      const baseline = await baselineRate(ctx, queues.baseline, total, defaults.DLQ_PREFETCH);
      const ingest = await workerRate(ctx, queues.worker, total);
      const stored = await prisma().message.count({ where: { sourceQueue: queues.worker } });
      const ratio = ingest / baseline;
      return {
        rows: [{
          measure: `ingest ${total} (worker, prefetch ${defaults.DLQ_PREFETCH}, batch ${defaults.DLQ_BATCH_SIZE})`,
          baseline: 'plain amqplib consume + ack', value: Math.round(ingest), unit: 'msg/s', baselineValue: Math.round(baseline),
          ratio: Number(ratio.toFixed(3)), target: '>= 0.50 x baseline', met: ratio >= 0.5 && stored === total,
          detail: { stored, storedExactly: stored === total },
        }],
        series: [],
        notes: [],
        broken: stored === total ? [] : [`ingest stored ${stored} of ${total}: messages lost or doubled`],
      };
    } finally {
      for (const q of Object.values(queues)) await channel.deleteQueue(q).catch(() => {});
      await connection.close();
    }
  },
};
