import amqp from 'amqplib';
import { verifyAuditChain } from '../../audit/verify-audit-chain';
import { prisma } from '../../db/prisma';
import { HEADER } from '../../dispatch/console-headers';
import { TEST_RABBITMQ_URL } from '../test-broker';

// What a fault scenario counts after the fault: stored rows against the message ids that
// were sent (lost, duplicated), arrivals on a destination queue per replay id (a dispatch
// published more than once), and whether the audit chain still verifies.

export type TStoredCount = {
  stored: number;
  /** Expected message ids with no row. */
  lost: number;
  /** Rows beyond one per message id (expected or not). */
  duplicated: number;
  /** Rows whose message id was not expected. */
  unexpected: number;
  lostIds: string[];
};

/** Compares the rows stored from `sourceQueue` with the message ids that were dead-lettered into it. */
export async function countStored({ sourceQueue, expectedIds }: { sourceQueue: string; expectedIds: Iterable<string> }): Promise<TStoredCount> {
  const rows = await prisma().$queryRaw<{ message_id: string | null; n: bigint }[]>`
    SELECT message_id, count(*) AS n FROM messages WHERE source_queue = ${sourceQueue} GROUP BY message_id`;
  const counts = new Map(rows.map((r) => [r.message_id ?? '', Number(r.n)]));
  const expected = new Set(expectedIds);
  const lostIds = [...expected].filter((id) => !counts.has(id));
  let stored = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [id, n] of counts) {
    stored += n;
    duplicated += n - 1;
    if (!expected.has(id)) unexpected += n;
  }
  return { stored, lost: lostIds.length, duplicated, unexpected, lostIds: lostIds.slice(0, 20) };
}

export const countRows = async (sourceQueue: string) => prisma().message.count({ where: { sourceQueue } });

export type TArrival = { replayId: string | null; originalMessageId: string | null; messageId: string | null; team: string | null };

export type TArrivals = {
  queue: string;
  total: number;
  /** Arrivals per replay id (the dispatch id every publish of a dispatch carries). */
  byReplayId: Map<string, number>;
  /** Arrivals per console message id (x-dlq-console-original-message-id). */
  byOriginalMessageId: Map<string, number>;
  /** Arrivals without a replay id: nothing the console sent. */
  withoutReplayId: number;
};

const headerString = (headers: Record<string, unknown> | undefined, key: string) => {
  const v = headers?.[key];
  if (v === undefined || v === null) return null;
  return Buffer.isBuffer(v) ? v.toString() : String(v);
};

/**
 * Consumes everything on `queue` until `expected` messages arrived and nothing more came
 * for `quietMs` (a late copy still lands), or `timeoutMs` passed. Counts per replay id.
 */
export async function drainQueue(queue: string, { expected, quietMs = 3000, timeoutMs = 120_000, url = TEST_RABBITMQ_URL }: { expected: number; quietMs?: number; timeoutMs?: number; url?: string }): Promise<TArrivals> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    await channel.prefetch(1000);
    const arrivals: TArrivals = { queue, total: 0, byReplayId: new Map(), byOriginalMessageId: new Map(), withoutReplayId: 0 };
    let lastArrival = Date.now();
    await channel.consume(queue, (msg) => {
      if (!msg) return;
      channel.ack(msg);
      lastArrival = Date.now();
      arrivals.total++;
      const headers = msg.properties.headers as Record<string, unknown> | undefined;
      const replayId = headerString(headers, HEADER.replayId);
      const original = headerString(headers, HEADER.originalMessageId);
      if (replayId) arrivals.byReplayId.set(replayId, (arrivals.byReplayId.get(replayId) ?? 0) + 1);
      else arrivals.withoutReplayId++;
      if (original) arrivals.byOriginalMessageId.set(original, (arrivals.byOriginalMessageId.get(original) ?? 0) + 1);
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !(arrivals.total >= expected && Date.now() - lastArrival >= quietMs)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await channel.close();
    return arrivals;
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Copies beyond the first of each replay id. */
export function doublePublishes(arrivals: TArrivals): number {
  let extra = 0;
  for (const n of arrivals.byReplayId.values()) extra += n - 1;
  return extra;
}

export type TWindowCheck = {
  doublePublished: number;
  /** Replay ids that arrived more often than their dispatch was attempted: outside the documented window. */
  outsideWindow: { replayId: string; arrivals: number; attempts: number | null }[];
};

/**
 * The documented window (docs/decisions/0007, "at most one publish per intent"): a
 * dispatch is published again only when an attempt's outcome was never recorded (the
 * worker died between publish and commit), and each attempt publishes at most once. So a
 * dispatch may arrive at most `attempts` times, and an extra copy needs attempts > 1.
 */
export async function checkDoublePublishWindow(arrivals: TArrivals[]): Promise<TWindowCheck> {
  const counts = new Map<string, number>();
  for (const a of arrivals) for (const [id, n] of a.byReplayId) counts.set(id, (counts.get(id) ?? 0) + n);
  const doubled = [...counts].filter(([, n]) => n > 1);
  const doublePublished = doubled.reduce((sum, [, n]) => sum + n - 1, 0);
  if (doubled.length === 0) return { doublePublished, outsideWindow: [] };
  const rows = await prisma().dispatch.findMany({ where: { id: { in: doubled.map(([id]) => id) } }, select: { id: true, attempts: true } });
  const attempts = new Map(rows.map((r) => [r.id, r.attempts]));
  const outsideWindow = doubled
    .filter(([id, n]) => (attempts.get(id) ?? 0) < n)
    .map(([replayId, n]) => ({ replayId, arrivals: n, attempts: attempts.get(replayId) ?? null }));
  return { doublePublished, outsideWindow };
}

/** Verifies the whole audit chain; the detail of the first break when it does not. */
export async function verifyAudit(): Promise<{ ok: boolean; checked: number; detail?: string }> {
  const result = await verifyAuditChain({ actor: { kind: 'system', name: 'cli' } });
  return result.ok ? { ok: true, checked: result.checked } : { ok: false, checked: result.checked, detail: result.detail };
}
