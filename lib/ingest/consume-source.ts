import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { log } from '../log';
import { ingestLagSeconds } from '../metrics/ingest-lag';
import { recordIngestBatch } from '../metrics/worker-metrics';
import { storeDeadLetters } from './store-dead-letters';
import { toDeadLetterRow, type TDeadLetterRow, type TDelivery } from './to-dead-letter-row';
import { toDegradedRow } from './to-degraded-row';

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
// A batch travels as one bind message the worker builds in memory (lib/ingest/store-dead-letters.ts),
// and PostgreSQL holds it while it commits: cap the bodies per batch to bound both.
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

/**
 * Errors that the same rows will raise again (bad data, limits exceeded) as opposed to an
 * outage that a retry outlives. PostgreSQL classes 22 (data exception), 23 (constraint)
 * and 54 (program limit), and a JS RangeError (e.g. a string too long to build).
 */
export function isDeterministic(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

/** Rows already in their simplest form: if the database refuses one, there is nothing left to drop. */
const degradedRows = new WeakSet<TDeadLetterRow>();

function degrade(delivery: TDelivery, largeBodyBytes: number, error: unknown): TDeadLetterRow {
  const row = toDegradedRow(delivery, largeBodyBytes, (error as Error).message);
  degradedRows.add(row);
  return row;
}

function buildRow(delivery: TDelivery, largeBodyBytes: number): TDeadLetterRow {
  try {
    return toDeadLetterRow(delivery, largeBodyBytes);
  } catch (error) {
    log.error('cannot parse a delivery; storing its body with the headers set aside', { queue: delivery.sourceQueue, error });
    return degrade(delivery, largeBodyBytes, error);
  }
}

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

  /**
   * Stores rows; when the database refuses them for a reason a retry will not change,
   * halves the batch until the one bad row is alone, and stores that one degraded.
   */
  async function storeIsolating(rows: TDeadLetterRow[], deliveries: TDelivery[]): Promise<number> {
    try {
      return await storeDeadLetters(rows);
    } catch (error) {
      if (!isDeterministic(error)) throw error;
      if (rows.length > 1) {
        const half = rows.length >> 1;
        return (await storeIsolating(rows.slice(0, half), deliveries.slice(0, half))) +
          (await storeIsolating(rows.slice(half), deliveries.slice(half)));
      }
      if (degradedRows.has(rows[0]!)) throw error;
      log.error('the database refused a message; storing its body with the headers set aside', { queue, error });
      return storeDeadLetters([degrade(deliveries[0]!, opts.largeBodyBytes, error)]);
    }
  }

  async function commit(batch: ConsumeMessage[]) {
    const deliveries = batch.map((m): TDelivery => ({ sourceQueue: queue, content: m.content, fields: m.fields, properties: m.properties }));
    const rows = deliveries.map((d) => buildRow(d, opts.largeBodyBytes));
    let inserted = 0;
    let commitSeconds = 0;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        // The failed commit may have succeeded before its answer was lost: from now on these
        // rows may already be stored, so they are checked like redeliveries.
        for (const row of rows) row.redelivered = true;
      }
      try {
        const started = performance.now();
        inserted = await storeIsolating(rows, deliveries);
        commitSeconds = (performance.now() - started) / 1000;
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
    // Lag only for first deliveries: a redelivery may be a message stored long ago.
    const committedAt = new Date();
    const lags = rows.map((row, i) => (batch[i]!.fields.redelivered ? null : ingestLagSeconds(row.xDeath, committedAt)));
    recordIngestBatch({ source: queue, received: batch.length, inserted, commitSeconds, lags });
    opts.onStored?.({ queue, received: batch.length, inserted });
  }

  /** How many buffered messages the next batch takes: batchSize, or fewer when their bodies pass MAX_BATCH_BYTES. */
  function batchLength(): number {
    let bytes = 0;
    for (let i = 0; i < Math.min(buffer.length, opts.batchSize); i++) {
      bytes += buffer[i]!.content.length;
      if (bytes >= MAX_BATCH_BYTES) return i + 1;
    }
    return Math.min(buffer.length, opts.batchSize);
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
        const batch = buffer.splice(0, batchLength());
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
