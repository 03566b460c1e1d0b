import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { log } from '../log';
import { storeDeadLetters } from './store-dead-letters';
import { toDeadLetterRow } from './to-dead-letter-row';

// One consumer per source, on its own channel. Deliveries are buffered and committed in
// batches; each message is acked only after the batch that holds it has committed. If
// the process dies in between, the broker redelivers and the fingerprint makes the
// second insert a no-op (docs/decisions/0002-ingest-and-dedupe.md).

export type TConsumeOptions = {
  connection: ChannelModel;
  queue: string;
  prefetch: number;
  batchSize: number;
  batchWaitMs: number;
  largeBodyBytes: number;
  onStored?: (stored: { queue: string; received: number; inserted: number }) => void;
};

export type TSourceConsumer = {
  queue: string;
  /** Settles when the channel closes, for whatever reason. */
  closed: Promise<void>;
  /** Stops taking deliveries, commits and acks what was taken, closes the channel. */
  stop(): Promise<void>;
};

const MAX_RETRY_DELAY_MS = 30_000;
const MAX_IN_FLIGHT = 2;

export async function consumeSource(opts: TConsumeOptions): Promise<TSourceConsumer> {
  const { connection, queue } = opts;
  const channel: Channel = await connection.createChannel();
  let isOpen = true;
  const closed = new Promise<void>((resolve) => channel.once('close', () => { isOpen = false; resolve(); }));
  let consuming = false;
  // Before consuming, a channel error is the missing queue the caller reports (once).
  channel.on('error', (error) => { if (consuming) log.warn('source channel error', { queue, error }); });

  try {
    await channel.checkQueue(queue);
  } catch (error) {
    // A missing queue closes the channel (404); the caller reports it and tries later.
    throw new Error(`queue ${JSON.stringify(queue)} is not on the broker: ${(error as Error).message}`);
  }
  await channel.prefetch(opts.prefetch);

  const buffer: ConsumeMessage[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let flushing = false;
  // Two batches in flight: Node builds the next batch while PostgreSQL commits the last.
  const inFlight = new Set<Promise<void>>();

  async function commit(batch: ConsumeMessage[]) {
    const rows = batch.map((m) =>
      toDeadLetterRow({ sourceQueue: queue, content: m.content, fields: m.fields, properties: m.properties }, opts.largeBodyBytes),
    );
    for (let attempt = 0; ; attempt++) {
      try {
        const inserted = await storeDeadLetters(rows);
        opts.onStored?.({ queue, received: batch.length, inserted });
        break;
      } catch (error) {
        if (!isOpen || stopping) {
          // Nothing was acked: the broker puts these back in the queue when the channel closes.
          log.warn('batch not committed; leaving it to the broker to redeliver', { queue, messages: batch.length, error });
          return;
        }
        const delay = Math.min(MAX_RETRY_DELAY_MS, 250 * 2 ** attempt);
        log.error('batch commit failed; retrying', { queue, messages: batch.length, attempt, delayMs: delay, error });
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    for (const m of batch) {
      if (!isOpen) break; // unacked deliveries come back; the fingerprint dedupes them
      channel.ack(m);
    }
  }

  /** Commits everything buffered, at most MAX_IN_FLIGHT batches at a time. One loop runs at a time. */
  async function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (flushing) return;
    flushing = true;
    try {
      while (buffer.length > 0) {
        if (inFlight.size >= MAX_IN_FLIGHT) {
          await Promise.race(inFlight);
          continue;
        }
        const batch = buffer.splice(0, opts.batchSize);
        const pending: Promise<void> = commit(batch).finally(() => inFlight.delete(pending));
        inFlight.add(pending);
      }
    } finally {
      flushing = false;
    }
  }

  async function drain() {
    await flush();
    while (inFlight.size > 0 || buffer.length > 0) {
      await Promise.all(inFlight);
      await flush();
    }
  }

  const { consumerTag } = await channel.consume(queue, (msg) => {
    if (msg === null) {
      log.warn('consumer cancelled by the broker (queue deleted?)', { queue });
      void drain().finally(() => channel.close().catch(() => {}));
      return;
    }
    buffer.push(msg);
    if (buffer.length >= opts.batchSize) void flush();
    else timer ??= setTimeout(() => void flush(), opts.batchWaitMs);
  });
  consuming = true;
  log.info('consuming source', { queue, prefetch: opts.prefetch, batchSize: opts.batchSize });

  return {
    queue,
    closed,
    async stop() {
      if (stopping) return closed;
      stopping = true;
      if (isOpen) await channel.cancel(consumerTag).catch(() => {});
      await drain();
      if (isOpen) await channel.close().catch(() => {});
      return closed;
    },
  };
}
