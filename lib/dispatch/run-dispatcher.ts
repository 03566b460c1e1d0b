import { hostname } from 'node:os';
import amqp, { type ChannelModel } from 'amqplib';
import pg from 'pg';
import { prisma } from '../db/prisma';
import type { TTypedTable, TTypedValue } from '../ingest/typed-headers';
import { log } from '../log';
import { recordPublishOutcomes } from '../metrics/worker-metrics';
import { reconnectDelayMs } from '../rabbitmq/reconnect-delay';
import { buildPublish, type TPublish } from './build-publish';
import { claimDispatches, type TClaimedDispatch } from './claim-dispatches';
import { DISPATCH_CHANNEL } from './create-dispatches';
import { openConfirmPublisher, type TConfirmPublisher, type TPublishOutcome } from './publish-with-confirms';
import { recordDispatchOutcomes, releaseDispatches } from './record-dispatch-outcomes';

// The outbox's publisher, run by every worker replica. Woken by NOTIFY when an action
// commits, and polls too (retries come due, a NOTIFY can be missed while reconnecting).
// Claims with a lease, publishes with confirms, records outcomes (docs/decisions/0007).
// Everything a batch does must end inside its lease, or another replica may publish the
// same row again: each wait is bounded by what is left of it, and what cannot be
// published in time is released unpublished.

export type TDispatcherOptions = {
  rabbitUrl: string;
  databaseUrl: string;
  leaseMs: number;
  batch: number;
  pollMs: number;
  connectionName?: string;
  /** The longest wait between attempts after a failure (default: lib/rabbitmq/reconnect-delay.ts). */
  maxReconnectDelayMs?: number;
};

export type TDispatcher = { stop(): Promise<void>; ready: Promise<void> };

const CONNECT_TIMEOUT_MS = 10_000;
/** A publish is not started with less than this left of the lease. */
const MIN_PUBLISH_MS = 1000;
/** Outcomes are recorded after this many publishes, not once per claimed batch. */
export const RECORD_EVERY = 10;
/**
 * Publishes pipelined at once (confirms awaited together) when the broker has no reason to
 * refuse them: the default exchange, a body up to PIPELINE_MAX_BYTES, a first attempt (a
 * retry goes alone, so a refusal is pinned on its publish). Their outcomes are recorded per
 * window, while the next window is published.
 */
export const PIPELINE_WINDOW = 100;
const PIPELINE_MAX_BYTES = 256 * 1024;

type TPrepared = { dispatch: TClaimedDispatch; publish: TPublish; content: Buffer };
type TResult = { dispatch: TClaimedDispatch; outcome: TPublishOutcome };

/** What each claimed dispatch sends, read for the whole batch in two queries (messages, revisions). */
async function prepareAll(claimed: TClaimedDispatch[]): Promise<(TPrepared | TResult)[]> {
  const messageIds = [...new Set(claimed.map((d) => d.messageId))];
  const revisionIds = [...new Set(claimed.flatMap((d) => (d.revisionId === null ? [] : [d.revisionId])))];
  const messages = new Map((await prisma().message.findMany({
    where: { id: { in: messageIds } },
    select: { id: true, body: true, properties: true, headers: true, originQueue: true, reason: true, originalMessageId: true },
  })).map((m) => [m.id, m]));
  const revisions = new Map(revisionIds.length === 0 ? [] : (await prisma().messageRevision.findMany({
    where: { id: { in: revisionIds } }, omit: { body: false },
  })).map((r) => [r.id, r]));
  return claimed.map((d) => {
    const message = messages.get(d.messageId);
    if (!message) return { dispatch: d, outcome: { state: 'failed', result: `message ${d.messageId} no longer exists` } };
    const revision = d.revisionId === null ? null : revisions.get(d.revisionId) ?? null;
    try {
      const publish = buildPublish(d, {
        messageId: message.id,
        originalMessageId: message.originalMessageId,
        originQueue: message.originQueue,
        deathReason: message.reason,
        properties: message.properties as Record<string, TTypedValue>,
        headers: (revision?.headers ?? message.headers) as TTypedTable,
        revisionNumber: revision?.number ?? 0,
      });
      return { dispatch: d, publish, content: Buffer.from(revision?.body ?? message.body) };
    } catch (error) {
      return { dispatch: d, outcome: { state: 'failed', result: (error as Error).message } };
    }
  });
}

/**
 * Publishes one by one while the lease leaves time, and records the outcomes every
 * RECORD_EVERY publishes: a crash between a confirmed publish and its recorded outcome
 * publishes it again after the lease, so that window is kept to a few messages (it cannot
 * be closed with AMQP: docs/decisions/0016). Returns what it did not get to.
 */
async function publishInTime(publisher: TConfirmPublisher, items: TPrepared[], deadline: number, confirmMs: number, save: (results: TResult[]) => Promise<void>, pipeline = false) {
  let published = 0;
  const counts = { published: 0, failed: 0, retry: 0 };
  const unpublished: TClaimedDispatch[] = [];
  let pending: TResult[] = [];
  let saving: Promise<void> = Promise.resolve();
  const flush = async () => {
    const batch = pending;
    pending = [];
    // One write in flight while the next publishes go out; a write waits for the one before it.
    await saving;
    saving = save(batch);
  };
  for (let i = 0; i < items.length;) {
    const left = deadline - Date.now();
    if (left < MIN_PUBLISH_MS || !publisher.usable) {
      unpublished.push(...items.slice(i).map((p) => p.dispatch));
      break;
    }
    const window = pipeline && publisher.pipelines ? pipelinable(items, i) : [];
    if (window.length > 1) {
      const outcomes = await publisher.publishMany(window, Math.min(confirmMs, left));
      window.forEach((item, k) => {
        counts[outcomes[k]!.state]++;
        pending.push({ dispatch: item.dispatch, outcome: outcomes[k]! });
      });
      i += window.length;
      await flush();
      continue;
    }
    const item = items[i++]!;
    const outcome = await publisher.publish(item, Math.min(confirmMs, left));
    counts[outcome.state]++;
    pending.push({ dispatch: item.dispatch, outcome });
    if (++published % RECORD_EVERY === 0) {
      // One at a time, the write is waited for before the next publish: a crash re-publishes
      // at most RECORD_EVERY confirmed messages whose outcomes were not yet written.
      await flush();
      await saving;
    }
  }
  await flush();
  // The last write may still run while the next batch is claimed (the dispatcher's `save` keeps writes in order).
  if (!pipeline) await saving;
  return { counts, unpublished };
}

/** The run of items from `start` that can be published pipelined, up to PIPELINE_WINDOW. */
function pipelinable(items: TPrepared[], start: number): TPrepared[] {
  let end = start;
  while (end < items.length && end - start < PIPELINE_WINDOW) {
    const { dispatch, publish, content } = items[end]!;
    if (dispatch.attempts !== 1 || publish.exchange !== '' || content.length > PIPELINE_MAX_BYTES) break;
    end++;
  }
  return items.slice(start, end);
}

async function publishToSandbox(sandboxId: string, items: TPrepared[], deadline: number, confirmMs: number, save: (results: TResult[]) => Promise<void>) {
  const sandbox = await prisma().sandbox.findUnique({ where: { id: sandboxId }, omit: { url: false } });
  if (!sandbox) {
    await save(items.map((p) => ({ dispatch: p.dispatch, outcome: { state: 'failed' as const, result: `sandbox ${p.dispatch.sandboxName} was deleted` } })));
    return { counts: { published: 0, failed: items.length, retry: 0 }, unpublished: [] };
  }
  const left = deadline - Date.now() - MIN_PUBLISH_MS;
  if (left < MIN_PUBLISH_MS) return { counts: { published: 0, failed: 0, retry: 0 }, unpublished: items.map((p) => p.dispatch) };
  let connection: ChannelModel | undefined;
  try {
    connection = await amqp.connect(sandbox.url, {
      timeout: Math.min(CONNECT_TIMEOUT_MS, left),
      clientProperties: { connection_name: `dlq-console-sandbox ${hostname()}:${process.pid}` },
    });
    connection.on('error', () => {});
    const publisher = await openConfirmPublisher(connection);
    return await publishInTime(publisher, items, deadline, confirmMs, save);
  } catch (error) {
    const reason = `cannot reach sandbox ${sandbox.name}: ${(error as Error).message}`;
    await save(items.map((p) => ({ dispatch: p.dispatch, outcome: { state: 'retry' as const, error: reason } })));
    return { counts: { published: 0, failed: 0, retry: items.length }, unpublished: [] };
  } finally {
    await connection?.close().catch(() => {});
  }
}

/**
 * Records outcomes; a failed write is tried again (the whole batch, then row by row) while
 * the lease holds, since losing the outcome of a confirmed publish means publishing it again.
 */
async function saveOutcomes(results: TResult[], deadline: number) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await recordDispatchOutcomes(results);
    } catch (error) {
      if (attempt >= 2 || Date.now() + 1000 > deadline) {
        log.error('dispatcher: cannot record outcomes as a batch; trying one by one', { error });
        break;
      }
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
  for (const result of results) {
    await recordDispatchOutcomes([result]).catch((error) => {
      log.error('dispatcher: cannot record an outcome; it will be published again when its lease ends', { dispatchId: result.dispatch.id, messageId: result.dispatch.messageId, error });
    });
  }
}

export function runDispatcher(opts: TDispatcherOptions): TDispatcher {
  let stopped = false;
  let connection: ChannelModel | undefined;
  let publisher: TConfirmPublisher | undefined;
  let listener: pg.Client | undefined;
  let wake: () => void = () => {};
  // While backing off after a failure, a NOTIFY (an action committed) must not cut the wait
  // short: during a broker outage a running job notifies several times a second, and each
  // would be one more connection attempt, a tight loop instead of a backoff. stop() still wakes it.
  let backingOff = false;
  let writes: Promise<void> = Promise.resolve();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const confirmMs = Math.floor(opts.leaseMs / 2);
  // Leaves room to record the outcomes before the lease runs out.
  const margin = Math.max(1000, Math.floor(opts.leaseMs / 5));

  function sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => { clearTimeout(t); resolve(); };
    });
  }

  async function listen() {
    if (listener) return;
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    client.on('error', () => { if (listener === client) listener = undefined; });
    client.on('end', () => { if (listener === client) listener = undefined; });
    client.on('notification', () => { if (!backingOff) wake(); });
    await client.connect();
    await client.query(`LISTEN ${DISPATCH_CHANNEL}`);
    listener = client;
  }

  /** One connection for as long as it lives; a closed channel is reopened on it by the publisher. */
  async function ensurePublisher(): Promise<TConfirmPublisher> {
    if (connection && publisher?.usable) return publisher;
    await connection?.close().catch(() => {});
    connection = undefined;
    const conn = await amqp.connect(opts.rabbitUrl, {
      timeout: CONNECT_TIMEOUT_MS,
      clientProperties: { connection_name: opts.connectionName ?? `dlq-console-dispatcher ${hostname()}:${process.pid}` },
    });
    conn.on('error', (error) => log.error('dispatcher: RabbitMQ connection error', { error }));
    conn.once('close', () => { if (!stopped) log.warn('dispatcher: RabbitMQ connection closed; reconnecting'); });
    connection = conn;
    publisher = await openConfirmPublisher(conn);
    log.info('dispatcher: connected to RabbitMQ');
    return publisher;
  }

  async function runBatch(main: TConfirmPublisher): Promise<number> {
    const claimed = await claimDispatches({ limit: opts.batch, leaseMs: opts.leaseMs });
    if (claimed.length === 0) return 0;
    const deadline = Date.now() + opts.leaseMs - margin;
    // Writes run one after the other, across batches too: the last one of a batch goes on while the next batch is claimed.
    const save = (results: TResult[]) => {
      recordPublishOutcomes(results.map((r) => ({ kind: r.dispatch.kind, outcome: r.outcome.state })));
      writes = writes.then(() => saveOutcomes(results, deadline + margin)).catch((error) => log.error('dispatcher: cannot record outcomes', { error }));
      return writes;
    };
    const counts = { published: 0, failed: 0, retry: 0 };
    const unpublished: TClaimedDispatch[] = [];
    const bySandbox = new Map<string | null, TPrepared[]>();
    const unsendable: TResult[] = [];
    for (const p of await prepareAll(claimed)) {
      if ('outcome' in p) {
        unsendable.push(p);
        counts[p.outcome.state]++;
        continue;
      }
      bySandbox.set(p.dispatch.sandboxId, [...(bySandbox.get(p.dispatch.sandboxId) ?? []), p]);
    }
    await save(unsendable);
    // Production first: a slow sandbox broker never holds up a replay.
    const groups = [...bySandbox].sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : 0));
    for (const [sandboxId, prepared] of groups) {
      const done = sandboxId === null
        ? await publishInTime(main, prepared, deadline, confirmMs, save, true)
        : await publishToSandbox(sandboxId, prepared, deadline, confirmMs, save);
      for (const state of ['published', 'failed', 'retry'] as const) counts[state] += done.counts[state];
      unpublished.push(...done.unpublished);
    }
    if (unpublished.length) await releaseDispatches(unpublished).catch((error) => log.warn('dispatcher: cannot release unpublished dispatches; their lease will', { error }));
    log.info('dispatched', { published: counts.published, failed: counts.failed, retrying: counts.retry, released: unpublished.length });
    return claimed.length;
  }

  const loop = (async () => {
    let attempt = 0;
    while (!stopped) {
      try {
        await listen().catch((error) => log.warn('dispatcher: cannot LISTEN; polling only', { error }));
        const main = await ensurePublisher();
        markReady();
        const n = await runBatch(main);
        attempt = 0;
        if (n === 0 && !stopped) await sleep(opts.pollMs);
      } catch (error) {
        const delay = reconnectDelayMs(attempt++, opts.maxReconnectDelayMs);
        log.error('dispatcher: cannot dispatch; retrying', { delayMs: delay, error });
        backingOff = true;
        if (!stopped) await sleep(delay);
        backingOff = false;
      }
    }
  })();

  return {
    ready,
    async stop() {
      stopped = true;
      wake();
      await loop;
      await writes;
      await publisher?.close();
      await connection?.close().catch(() => {});
      await listener?.end().catch(() => {});
      markReady();
    },
  };
}
