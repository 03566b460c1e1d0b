import { hostname } from 'node:os';
import amqp, { type ChannelModel } from 'amqplib';
import pg from 'pg';
import { prisma } from '../db/prisma';
import type { TTypedTable, TTypedValue } from '../ingest/typed-headers';
import { log } from '../log';
import { buildPublish, type TPublish } from './build-publish';
import { claimDispatches, type TClaimedDispatch } from './claim-dispatches';
import { DISPATCH_CHANNEL } from './create-dispatches';
import { openConfirmPublisher, type TConfirmPublisher, type TPublishOutcome } from './publish-with-confirms';
import { recordDispatchOutcomes } from './record-dispatch-outcomes';

// The outbox's publisher, run by every worker replica. Woken by NOTIFY when an action
// commits, and polls too (retries come due, a NOTIFY can be missed while reconnecting).
// Claims with a lease, publishes with confirms, records outcomes (docs/decisions/0007).

export type TDispatcherOptions = {
  rabbitUrl: string;
  databaseUrl: string;
  leaseMs: number;
  batch: number;
  pollMs: number;
  connectionName?: string;
};

export type TDispatcher = { stop(): Promise<void>; ready: Promise<void> };

const MAX_RECONNECT_DELAY_MS = 30_000;
/** A sandbox broker that cannot be reached this many times fails the dispatch (the main broker is waited for forever). */
const SANDBOX_MAX_ATTEMPTS = 5;

type TPrepared = { dispatch: TClaimedDispatch; publish: TPublish; content: Buffer };

async function prepare(d: TClaimedDispatch): Promise<TPrepared | { dispatch: TClaimedDispatch; error: string }> {
  const message = await prisma().message.findUnique({
    where: { id: d.messageId },
    select: { id: true, body: true, properties: true, headers: true, originQueue: true, reason: true, originalMessageId: true },
  });
  if (!message) return { dispatch: d, error: `message ${d.messageId} no longer exists` };
  const revision = d.revisionId === null
    ? null
    : await prisma().messageRevision.findUnique({ where: { id: d.revisionId }, omit: { body: false } });
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
    return { dispatch: d, error: (error as Error).message };
  }
}

async function publishAll(publisher: TConfirmPublisher, prepared: TPrepared[], timeoutMs: number) {
  const outcomes = await publisher.publish(prepared.map((p) => ({ publish: p.publish, content: p.content })), timeoutMs);
  return prepared.map((p) => ({ dispatch: p.dispatch, outcome: outcomes.get(p.dispatch.id) ?? { state: 'retry' as const, error: 'no outcome' } }));
}

async function publishToSandbox(sandboxId: string, prepared: TPrepared[], timeoutMs: number) {
  const sandbox = await prisma().sandbox.findUnique({ where: { id: sandboxId }, omit: { url: false } });
  if (!sandbox) {
    return prepared.map((p) => ({ dispatch: p.dispatch, outcome: { state: 'failed' as const, result: `sandbox ${p.dispatch.sandboxName} was deleted` } }));
  }
  let connection: ChannelModel | undefined;
  try {
    connection = await amqp.connect(sandbox.url, { timeout: 10_000, clientProperties: { connection_name: `dlq-console-sandbox ${hostname()}:${process.pid}` } });
    connection.on('error', () => {});
    const publisher = await openConfirmPublisher(connection);
    return await publishAll(publisher, prepared, timeoutMs);
  } catch (error) {
    const reason = `cannot reach sandbox ${sandbox.name}: ${(error as Error).message}`;
    return prepared.map((p) => ({
      dispatch: p.dispatch,
      outcome: (p.dispatch.attempts >= SANDBOX_MAX_ATTEMPTS ? { state: 'failed', result: reason } : { state: 'retry', error: reason }) as TPublishOutcome,
    }));
  } finally {
    await connection?.close().catch(() => {});
  }
}

export function runDispatcher(opts: TDispatcherOptions): TDispatcher {
  let stopped = false;
  let connection: ChannelModel | undefined;
  let publisher: TConfirmPublisher | undefined;
  let listener: pg.Client | undefined;
  let wake: () => void = () => {};
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const confirmTimeoutMs = Math.floor(opts.leaseMs / 2);

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
    client.on('notification', () => wake());
    await client.connect();
    await client.query(`LISTEN ${DISPATCH_CHANNEL}`);
    listener = client;
  }

  async function ensurePublisher(): Promise<TConfirmPublisher> {
    if (publisher) return publisher;
    const conn = await amqp.connect(opts.rabbitUrl, {
      clientProperties: { connection_name: opts.connectionName ?? `dlq-console-dispatcher ${hostname()}:${process.pid}` },
    });
    conn.on('error', (error) => log.error('dispatcher: RabbitMQ connection error', { error }));
    conn.once('close', () => {
      if (connection === conn) { connection = undefined; publisher = undefined; }
      if (!stopped) log.warn('dispatcher: RabbitMQ connection closed; reconnecting');
    });
    connection = conn;
    publisher = await openConfirmPublisher(conn);
    publisher.channel.once('close', () => { if (connection === conn) publisher = undefined; });
    log.info('dispatcher: connected to RabbitMQ');
    return publisher;
  }

  async function runBatch(main: TConfirmPublisher): Promise<number> {
    const claimed = await claimDispatches({ limit: opts.batch, leaseMs: opts.leaseMs });
    if (claimed.length === 0) return 0;
    const results: { dispatch: TClaimedDispatch; outcome: TPublishOutcome }[] = [];
    const bySandbox = new Map<string | null, TPrepared[]>();
    for (const d of claimed) {
      const p = await prepare(d);
      if ('error' in p) {
        results.push({ dispatch: d, outcome: { state: 'failed', result: p.error } });
        continue;
      }
      const group = bySandbox.get(d.sandboxId) ?? [];
      group.push(p);
      bySandbox.set(d.sandboxId, group);
    }
    for (const [sandboxId, prepared] of bySandbox) {
      results.push(...(sandboxId === null ? await publishAll(main, prepared, confirmTimeoutMs) : await publishToSandbox(sandboxId, prepared, confirmTimeoutMs)));
    }
    await recordDispatchOutcomes(results);
    const failed = results.filter((r) => r.outcome.state !== 'published');
    log.info('dispatched', { published: results.length - failed.length, failed: failed.filter((r) => r.outcome.state === 'failed').length, retrying: failed.filter((r) => r.outcome.state === 'retry').length });
    // A publish that timed out leaves the channel in an unknown state: start a fresh one.
    if (results.some((r) => r.outcome.state === 'retry' && r.dispatch.sandboxId === null)) {
      await main.close();
      if (publisher === main) publisher = undefined;
    }
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
        const delay = Math.min(MAX_RECONNECT_DELAY_MS, 500 * 2 ** attempt++);
        log.error('dispatcher: cannot dispatch; retrying', { delayMs: delay, error });
        if (!stopped) await sleep(delay);
      }
    }
  })();

  return {
    ready,
    async stop() {
      stopped = true;
      wake();
      await loop;
      await publisher?.close();
      await connection?.close().catch(() => {});
      await listener?.end().catch(() => {});
      markReady();
    },
  };
}
