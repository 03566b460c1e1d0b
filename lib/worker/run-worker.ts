import { hostname } from 'node:os';
import amqp, { type ChannelModel } from 'amqplib';
import { prisma } from '../db/prisma';
import { consumeSource, type TConsumeOptions, type TSourceConsumer } from '../ingest/consume-source';
import { log } from '../log';
import { reconnectDelayMs } from '../rabbitmq/reconnect-delay';

// The worker: one connection, one consumer per source listed in the database. Sources
// are re-read every refreshMs, so `cli sources add` takes effect without a restart and
// every replica converges on the same set. Replicas are competing consumers; nothing
// here assumes it is the only one.

export type TWorkerOptions = {
  rabbitUrl: string;
  refreshMs: number;
  /** Shown in the broker's connection list; unique per process so an operator can tell replicas apart. */
  connectionName?: string;
} & Pick<TConsumeOptions, 'prefetch' | 'batchSize' | 'batchWaitMs' | 'largeBodyBytes' | 'onStored'>;

export type TWorker = {
  stop(): Promise<void>;
  /** resolves once consumers for all current sources are running or reported */
  ready: Promise<void>;
  /** The source queues this process consumes right now (its heartbeat says so). */
  consuming(): string[];
  /** Since when this process has no RabbitMQ connection (never connected yet: since it started); null while it has one. */
  brokerDownSince(): Date | null;
};


export function runWorker(opts: TWorkerOptions): TWorker {
  const consumers = new Map<string, TSourceConsumer>();
  const reported = new Map<string, string | null>(); // last status written per source, to write only changes
  let connection: ChannelModel | undefined;
  let brokerDownSince: Date | null = new Date();
  let stopped = false;
  let wake: () => void = () => {};
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));

  /** Records a source's state when it changed; a failed write is retried at the next sync. */
  async function report(queue: string, error: string | null) {
    if (reported.get(queue) === error) return;
    try {
      await prisma().source.updateMany({ where: { queue }, data: { lastError: error, lastErrorAt: error ? new Date() : null } });
      reported.set(queue, error);
    } catch (writeError) {
      log.warn('cannot record source state; will retry', { queue, error: writeError });
    }
  }

  async function syncSources(conn: ChannelModel) {
    const wanted = new Set((await prisma().source.findMany({ select: { queue: true } })).map((s) => s.queue));
    for (const [queue, consumer] of consumers) {
      if (!wanted.has(queue)) {
        consumers.delete(queue);
        await consumer.stop();
        log.info('source removed; consumer stopped', { queue });
      }
    }
    for (const queue of wanted) {
      if (stopped) break;
      if (consumers.has(queue)) {
        await report(queue, null); // also clears an error whose earlier write failed
        continue;
      }
      try {
        const consumer = await consumeSource({ ...opts, connection: conn, queue });
        consumers.set(queue, consumer);
        void consumer.closed.then(() => {
          if (consumers.get(queue) === consumer) consumers.delete(queue);
        });
      } catch (error) {
        const message = (error as Error).message;
        if (reported.get(queue) !== message) log.error('cannot consume source', { queue, error: message });
        await report(queue, message);
        continue;
      }
      await report(queue, null);
    }
  }

  async function connect(): Promise<ChannelModel> {
    for (let attempt = 0; ; attempt++) {
      try {
        const conn = await amqp.connect(opts.rabbitUrl, {
          clientProperties: { connection_name: opts.connectionName ?? `dlq-console-worker ${hostname()}:${process.pid}` },
        });
        log.info('connected to RabbitMQ');
        return conn;
      } catch (error) {
        if (stopped) throw error;
        const delay = reconnectDelayMs(attempt);
        log.error('cannot connect to RabbitMQ; retrying', { attempt, delayMs: delay, error });
        await sleep(delay);
      }
    }
  }

  function sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => { clearTimeout(t); resolve(); };
    });
  }

  const loop = (async () => {
    while (!stopped) {
      let conn: ChannelModel;
      try {
        conn = await connect();
      } catch {
        break;
      }
      connection = conn;
      brokerDownSince = null;
      let lost = false;
      conn.on('error', (error) => log.error('RabbitMQ connection error', { error }));
      conn.once('close', () => {
        lost = true;
        brokerDownSince = new Date();
        consumers.clear();
        reported.clear();
        if (!stopped) log.warn('RabbitMQ connection closed; reconnecting');
        wake();
      });
      let attempt = 0;
      while (!stopped && !lost) {
        try {
          await syncSources(conn);
          attempt = 0;
          markReady();
          await sleep(opts.refreshMs);
        } catch (error) {
          // Most likely the database is away: keep what runs, retry the sync with backoff.
          const delay = reconnectDelayMs(attempt++);
          log.error('cannot read sources; retrying', { delayMs: delay, error });
          await sleep(delay);
        }
      }
    }
  })();

  return {
    ready,
    consuming: () => [...consumers.keys()].sort(),
    brokerDownSince: () => brokerDownSince,
    async stop() {
      stopped = true;
      wake();
      await Promise.all([...consumers.values()].map((c) => c.stop()));
      consumers.clear();
      await connection?.close().catch(() => {});
      await loop;
      markReady();
    },
  };
}
