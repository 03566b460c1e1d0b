import amqp, { type Channel, type ConsumeMessage } from 'amqplib';
import pg from 'pg';
import { prisma } from '../../lib/db/prisma';
import { parseEnv } from '../../lib/env';
import { addSources } from '../../lib/sources/add-sources';
import { removeSource } from '../../lib/sources/remove-source';
import { runWorker } from '../../lib/worker/run-worker';
import { median, round } from '../lib/stats';
import { forgetMessages } from '../lib/forget-messages';
import type { TBenchContext, TMeasure, TSeries } from '../lib/types';

// Ingest: the worker consuming N dead letters into PostgreSQL (ack after commit) against a
// plain amqplib consumer that consumes and acks the same N from the same broker. A single
// pair swings with the machine's load (0.18-0.43 on one machine), so baseline and worker
// run alternately ingestRuns times, each on freshly published queues, and the row reports
// the medians. The worker's prefetch and batch size are the configured ones
// (DLQ_PREFETCH, DLQ_BATCH_SIZE from the environment, else the defaults).
//
// A third consumer in each run, the floor, is the least any design that stores a message
// before it acks can do on this stack: consume with the same prefetch, batch the same way,
// insert each body and its headers into a table with a primary key and nothing else (no
// parsing, no dedupe, no search, no indexes), commit, then ack. Its ratio to the baseline
// says how much of the gap is the stack itself; the worker's ratio to it, what the
// console's own work costs.

const ACTOR = { kind: 'system', name: 'cli' } as const;

export function messageBody(i: number): Buffer {
  const order = { orderId: `ord-${i}`, customer: { id: i % 977, tier: 'gold' }, lines: [{ sku: 'A-1', qty: 2, price: 19.99 }], note: '' };
  const json = JSON.stringify(order);
  return Buffer.from(JSON.stringify({ ...order, note: 'x'.repeat(Math.max(0, 1024 - json.length)) }));
}

/**
 * N dead letters as RabbitMQ writes them: ~1 KiB JSON, typed headers, one x-death entry. To
 * several queues through a fanout exchange, so the bench publishes each message once (the
 * broker copies it into each queue) instead of once per queue.
 */
export async function publishDeadLetters(channel: Channel, queue: string | string[], total: number, originQueue = 'orders') {
  const queues = typeof queue === 'string' ? [queue] : queue;
  const exchange = queues.length > 1 ? `${queues[0]}.fanout` : '';
  if (exchange) {
    // Deleted with its last binding, when the queues are.
    await channel.assertExchange(exchange, 'fanout', { durable: false, autoDelete: true });
    for (const q of queues) await channel.bindQueue(q, exchange, '');
  }
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < total; i++) {
    const ok = channel.publish(exchange, exchange ? '' : queues[0]!, messageBody(i), {
      persistent: true, contentType: 'application/json', messageId: `m-${i}`, correlationId: `c-${i}`, timestamp: now,
      headers: {
        'x-tenant': 'acme', 'x-attempt': 3, 'x-sent-at': { '!': 'timestamp', value: now },
        'x-death': [{ queue: originQueue, reason: 'rejected', count: 1, exchange: '', 'routing-keys': [originQueue], time: { '!': 'timestamp', value: now } }],
        'x-first-death-queue': originQueue, 'x-first-death-reason': 'rejected', 'x-first-death-exchange': '',
      },
    });
    if (!ok) await new Promise((r) => channel.once('drain', r));
  }
  for (const q of queues) {
    while ((await channel.checkQueue(q)).messageCount < total) await new Promise((r) => setTimeout(r, 100));
  }
}

/** Counts per whole second since `started`, turned into [second, msg/s] points. */
export class RateRecorder {
  private readonly counts: number[] = [];
  private readonly started = performance.now();

  add(n: number) {
    const second = Math.floor((performance.now() - this.started) / 1000);
    while (this.counts.length <= second) this.counts.push(0);
    this.counts[second]! += n;
  }

  points(): [number, number][] {
    return this.counts.map((n, s) => [s, n]);
  }
}

type TRun = { rate: number; seconds: number; perSecond: [number, number][] };

/**
 * Acks are fire-and-forget: the last ones could still be on their way when the clock stops
 * and the connection closes (a run once left 75 unacked). A synchronous call on the same
 * channel answers only after the broker has handled every frame sent on it before, so the
 * timed run includes every ack, as the worker's includes its last commit.
 */
async function settleAcks(channel: Channel, queue: string) {
  await channel.checkQueue(queue);
}

async function baselineRun(ctx: TBenchContext, queue: string, total: number, prefetch: number): Promise<TRun> {
  const conn = await amqp.connect(ctx.rabbitUrl);
  try {
    const consumer = await conn.createChannel();
    await consumer.prefetch(prefetch);
    const rates = new RateRecorder();
    const started = performance.now();
    let seen = 0;
    await new Promise<void>((resolve) => {
      void consumer.consume(queue, (msg) => {
        if (!msg) return;
        consumer.ack(msg);
        rates.add(1);
        if (++seen === total) resolve();
      });
    });
    await settleAcks(consumer, queue);
    const seconds = (performance.now() - started) / 1000;
    return { rate: total / seconds, seconds, perSecond: rates.points() };
  } finally {
    await conn.close();
  }
}

const FLOOR_TABLE = 'bench_ingest_floor';

async function floorRun(ctx: TBenchContext, queue: string, total: number, config: { prefetch: number; batchSize: number; batchWaitMs: number }): Promise<TRun> {
  const conn = await amqp.connect(ctx.rabbitUrl);
  const db = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 });
  try {
    // Logged (durable), as a stored dead letter must be.
    await db.query(`CREATE TABLE IF NOT EXISTS ${FLOOR_TABLE} (id bigserial PRIMARY KEY, body bytea NOT NULL, headers json NOT NULL)`);
    const consumer = await conn.createChannel();
    await consumer.prefetch(config.prefetch);
    const rates = new RateRecorder();
    const started = performance.now();
    let stored = 0;
    await new Promise<void>((resolve, reject) => {
      const buffer: ConsumeMessage[] = [];
      let timer: NodeJS.Timeout | undefined;
      const inFlight = new Set<Promise<void>>();
      const store = async (batch: ConsumeMessage[]) => {
        const rows = batch.map((m) => ({ body: m.content.toString('base64'), headers: m.properties.headers ?? {} }));
        await db.query(`INSERT INTO ${FLOOR_TABLE} (body, headers) SELECT decode(r.body, 'base64'), r.headers FROM json_to_recordset($1::json) AS r(body text, headers json)`, [JSON.stringify(rows)]);
        for (const m of batch) consumer.ack(m); // each acked after its commit, as the worker acks
        stored += batch.length;
        rates.add(batch.length);
        if (stored === total) resolve();
      };
      const flush = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (buffer.length === 0 || inFlight.size >= 2) return;
        // Two batches in flight, as the worker: one is built while the other commits.
        const batch = buffer.splice(0, config.batchSize);
        const done: Promise<void> = store(batch).catch(reject)
          .finally(() => { inFlight.delete(done); if (buffer.length >= config.batchSize) flush(); else if (buffer.length > 0) timer ??= setTimeout(flush, config.batchWaitMs); });
        inFlight.add(done);
      };
      void consumer.consume(queue, (msg) => {
        if (!msg) return;
        buffer.push(msg);
        if (buffer.length >= config.batchSize) flush();
        else timer ??= setTimeout(flush, config.batchWaitMs);
      });
    });
    await settleAcks(consumer, queue);
    const seconds = (performance.now() - started) / 1000;
    return { rate: total / seconds, seconds, perSecond: rates.points() };
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${FLOOR_TABLE}`).catch(() => {});
    await db.end();
    await conn.close();
  }
}

async function workerRun(ctx: TBenchContext, queue: string, total: number, config: { prefetch: number; batchSize: number; batchWaitMs: number }): Promise<TRun> {
  await addSources({ actor: ACTOR, queues: [queue] });
  const rates = new RateRecorder();
  let stored = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const started = performance.now();
  const worker = runWorker({
    rabbitUrl: ctx.rabbitUrl, refreshMs: 60_000, ...config, largeBodyBytes: 10 << 20,
    onStored: ({ inserted }) => { stored += inserted; rates.add(inserted); if (stored >= total) done(); },
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  // The next run's worker must not try to consume this run's queue once it is deleted.
  await removeSource({ actor: ACTOR, queue });
  return { rate: total / seconds, seconds, perSecond: rates.points() };
}

export const measure: TMeasure = {
  name: 'ingest',
  async run(ctx) {
    const total = ctx.sizes.ingest;
    const runs = ctx.sizes.ingestRuns;
    const config = parseEnv(process.env);
    const workerConfig = { prefetch: config.DLQ_PREFETCH, batchSize: config.DLQ_BATCH_SIZE, batchWaitMs: config.DLQ_BATCH_WAIT_MS };
    const connection = await amqp.connect(ctx.rabbitUrl);
    const channel = await connection.createChannel();
    const declared: string[] = [];
    const perRun: { run: number; baseline: TRun; floor: TRun; worker: TRun; stored: number }[] = [];
    const broken: string[] = [];
    try {
      for (let run = 1; run <= runs; run++) {
        const queues = { baseline: `${ctx.prefix}.ingest-baseline-${run}`, floor: `${ctx.prefix}.ingest-floor-${run}`, worker: `${ctx.prefix}.ingest-${run}.dlq` };
        for (const q of Object.values(queues)) {
          await channel.assertQueue(q, { durable: true });
          declared.push(q);
        }
        ctx.log(`ingest run ${run}/${runs}: publishing ${total} dead letters, a copy in each queue...`);
        const publishStarted = performance.now();
        await publishDeadLetters(channel, [queues.baseline, queues.floor, queues.worker], total);
        ctx.log(`ingest run ${run}/${runs}: published in ${((performance.now() - publishStarted) / 1000).toFixed(1)} s`);
        const baseline = await baselineRun(ctx, queues.baseline, total, config.DLQ_PREFETCH);
        const floor = await floorRun(ctx, queues.floor, total, workerConfig);
        const worker = await workerRun(ctx, queues.worker, total, workerConfig);
        const stored = await prisma().message.count({ where: { sourceQueue: queues.worker } });
        if (stored !== total) broken.push(`run ${run} stored ${stored} of ${total}: messages lost or doubled`);
        // A delivery whose ack never reached the broker went back to its queue at close.
        for (const [name, q] of [['baseline', queues.baseline], ['floor', queues.floor]] as const) {
          const left = (await channel.checkQueue(q)).messageCount;
          if (left > 0) broken.push(`run ${run}: ${left} of the ${name}'s deliveries were never acked (back in ${q})`);
        }
        ctx.log(`ingest run ${run}/${runs}: baseline ${Math.round(baseline.rate)}/s, floor ${Math.round(floor.rate)}/s (${round(floor.rate / baseline.rate, 3)}), worker ${Math.round(worker.rate)}/s, ratio ${round(worker.rate / baseline.rate, 3)}, stored ${stored}`);
        perRun.push({ run, baseline, floor, worker, stored });
        for (const q of Object.values(queues)) await channel.deleteQueue(q).catch(() => {});
        await forgetMessages([queues.worker]);
      }
      const ingest = median(perRun.map((r) => r.worker.rate));
      const baseline = median(perRun.map((r) => r.baseline.rate));
      const ratio = ingest / baseline;
      const floor = median(perRun.map((r) => r.floor.rate));
      // The chart shows the run whose ratio is the median one (the lower middle for an even count).
      const byRatio = [...perRun].sort((a, b) => a.worker.rate / a.baseline.rate - b.worker.rate / b.baseline.rate);
      const shown = byRatio[(byRatio.length - 1) >> 1]!;
      const series: TSeries[] = [
        { chart: 'ingest rate', name: `worker (run ${shown.run})`, unit: 'msg/s', points: shown.worker.perSecond },
        { chart: 'ingest rate', name: `baseline consume + ack (run ${shown.run})`, unit: 'msg/s', points: shown.baseline.perSecond },
        { chart: 'ingest rate', name: `floor: store raw + commit + ack (run ${shown.run})`, unit: 'msg/s', points: shown.floor.perSecond },
      ];
      return {
        rows: [{
          measure: `ingest ${total} (worker, prefetch ${workerConfig.prefetch}, batch ${workerConfig.batchSize}), median of ${runs}`,
          baseline: 'plain amqplib consume + ack', value: Math.round(ingest), unit: 'msg/s', baselineValue: Math.round(baseline),
          ratio: round(ratio, 3), target: '>= 0.50 x baseline (medians of interleaved runs)', met: ratio >= 0.5 && broken.length === 0,
          detail: {
            messages: total, runs, ...workerConfig, medianOfRunRatios: round(median(perRun.map((r) => r.worker.rate / r.baseline.rate)), 3),
            floor: { rate: Math.round(floor), ratioToBaseline: round(floor / baseline, 3), workerToFloor: round(ingest / floor, 3), what: 'consume, insert body + headers into a table with a primary key only, commit, ack; same prefetch and batches' },
            perRun: perRun.map((r) => ({
              run: r.run, workerRate: Math.round(r.worker.rate), workerSeconds: round(r.worker.seconds), baselineRate: Math.round(r.baseline.rate),
              baselineSeconds: round(r.baseline.seconds), floorRate: Math.round(r.floor.rate), floorRatio: round(r.floor.rate / r.baseline.rate, 3),
              ratio: round(r.worker.rate / r.baseline.rate, 3), stored: r.stored, storedExactly: r.stored === total,
            })),
          },
        }],
        series,
        notes: [
          `baseline, floor and worker ran alternately ${runs} time(s) on fresh queues; the chart shows run ${shown.run} (the median ratio)`,
          `ingest floor (consume, store the raw message in a table with a primary key only, commit, ack): ${Math.round(floor)} msg/s, ${round(floor / baseline, 3)} x the baseline; the worker reaches ${round(ingest / floor, 3)} x the floor`,
        ],
        broken,
      };
    } finally {
      for (const q of declared) await channel.deleteQueue(q).catch(() => {});
      await connection.close();
    }
  },
};
