import { recordAuditEvents, type TAuditEventInput } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import type { TClaimedDispatch } from './claim-dispatches';
import { describeTarget } from './create-dispatches';
import type { TPublishOutcome } from './publish-with-confirms';

// The second transaction of a publish: each outcome, its audit event, and the message's
// status once every dispatch of its action has settled. An outcome is written only while
// the dispatcher's lease holds (same `attempts`); a lease that ran out belongs to whoever
// claimed the row next. A batch is written with a few set-based statements whatever its
// size, and its audit events go last: the audit chain's lock is held from the first event
// to the commit (docs/decisions/0016).

const WORKER = 'system:worker';
const MAX_BACKOFF_MS = 60_000;
/**
 * A publish still without a trustworthy answer after this many claims fails, so it shows
 * as a failure an operator can act on instead of retrying for ever. (While the broker is
 * unreachable nothing is claimed, so an outage does not use these up.)
 */
export const MAX_ATTEMPTS = 20;

/** Retries are audited on attempts 1, 2, 4, 8, 16: enough to see the pattern, not one event a minute for ever. */
function isAuditedAttempt(attempts: number): boolean {
  return (attempts & (attempts - 1)) === 0;
}

export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 16));
}

type TOutcomeRow = { dispatch: TClaimedDispatch; outcome: TPublishOutcome };

export async function recordDispatchOutcomes(outcomes: TOutcomeRow[]) {
  if (outcomes.length === 0) return;
  const settled = outcomes.map(({ dispatch: d, outcome: given }): TOutcomeRow => ({
    dispatch: d,
    outcome: given.state === 'retry' && d.attempts >= MAX_ATTEMPTS
      ? { state: 'failed', result: `no answer from the broker after ${d.attempts} attempts (last: ${given.error}); it may have been delivered, with replay id ${d.id}` }
      : given,
  }));
  const messageIds = [...new Set(settled.map((o) => o.dispatch.messageId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await prisma().$transaction(async (tx) => {
    // Messages locked in one order by every dispatcher, so two of them never deadlock, and
    // first: the last of an action's dispatches to settle sees the others' outcomes.
    // Their queues go on the audit events as the chain trigger would copy them, but read here,
    // not looked up one by one under the chain's lock.
    const queues = new Map((await tx.$queryRaw<{ id: bigint; sourceQueue: string; originQueue: string | null }[]>`
      SELECT id, source_queue AS "sourceQueue", origin_queue AS "originQueue"
      FROM messages WHERE id = ANY(${messageIds}::bigint[]) ORDER BY id FOR UPDATE`).map((m) => [m.id, m]));
    const events = [
      ...(await recordRetries(tx, settled.filter((o) => o.outcome.state === 'retry'))),
      ...(await recordSettled(tx, settled.filter((o) => o.outcome.state !== 'retry'))),
    ];
    await recordAuditEvents(tx, events.map((e) => {
      const m = e.messageId === undefined || e.messageId === null ? undefined : queues.get(BigInt(e.messageId));
      return m ? { ...e, sourceQueue: m.sourceQueue, originQueue: m.originQueue } : e;
    }));
  }, { maxWait: 10_000, timeout: 30_000 });
}

async function recordRetries(tx: Prisma.TransactionClient, rows: TOutcomeRow[]): Promise<TAuditEventInput[]> {
  if (rows.length === 0) return [];
  const values = rows.map(({ dispatch: d, outcome }) => ({ id: d.id, attempts: d.attempts, error: outcome.state === 'retry' ? outcome.error : '', delay: retryDelayMs(d.attempts) }));
  const updated = new Set((await tx.$queryRaw<{ id: string }[]>`
    UPDATE dispatches d SET last_error = r.error, lease_until = NULL, next_attempt_at = now() + r.delay * interval '1 millisecond'
    FROM json_to_recordset(${JSON.stringify(values)}::json) AS r(id uuid, attempts int, error text, delay int)
    WHERE d.id = r.id AND d.attempts = r.attempts AND d.state = 'pending'
    RETURNING d.id::text AS id`).map((r) => r.id));
  return rows.flatMap(({ dispatch: d, outcome }): TAuditEventInput[] => {
    if (!updated.has(d.id) || !isAuditedAttempt(d.attempts) || outcome.state !== 'retry') return [];
    return [{
      actor: WORKER, action: 'dispatch.retrying', subject: `dispatch:${d.id}`, messageId: d.messageId, target: describeTarget(d),
      result: `attempt ${d.attempts} failed: ${outcome.error}; retrying in ${Math.round(retryDelayMs(d.attempts) / 1000)} s`,
      after: { dispatchId: d.id, attempts: d.attempts, state: 'pending' },
    }];
  });
}

async function recordSettled(tx: Prisma.TransactionClient, rows: TOutcomeRow[]): Promise<TAuditEventInput[]> {
  if (rows.length === 0) return [];
  const values = rows.map(({ dispatch: d, outcome }) => ({ id: d.id, attempts: d.attempts, state: outcome.state, error: outcome.state === 'failed' ? outcome.result : null }));
  const updated = new Set((await tx.$queryRaw<{ id: string }[]>`
    UPDATE dispatches d SET state = r.state, last_error = r.error, lease_until = NULL, settled_at = now()
    FROM json_to_recordset(${JSON.stringify(values)}::json) AS r(id uuid, attempts int, state text, error text)
    WHERE d.id = r.id AND d.attempts = r.attempts AND d.state = 'pending'
    RETURNING d.id::text AS id`).map((r) => r.id));
  const mine = rows.filter((r) => updated.has(r.dispatch.id));
  if (mine.length === 0) return [];

  // An action whose dispatches have all settled moves its message on: replayed or redirected, or failed if any failed.
  const actionIds = [...new Set(mine.filter((r) => r.dispatch.kind !== 'sandbox').map((r) => r.dispatch.actionId))];
  const tallies = actionIds.length === 0 ? [] : await tx.$queryRaw<{ actionId: string; pending: number; failed: number }[]>`
    SELECT action_id::text AS "actionId", count(*) FILTER (WHERE state = 'pending')::int AS pending, count(*) FILTER (WHERE state = 'failed')::int AS failed
    FROM dispatches WHERE action_id = ANY(${actionIds}::uuid[]) GROUP BY action_id`;
  const finished = new Map(tallies.filter((t) => t.pending === 0).map((t) => [t.actionId, t.failed > 0]));
  // One message per action; the last dispatch of the batch for it carries the status change.
  const closing = new Map<string, TOutcomeRow>();
  for (const r of mine) if (finished.has(r.dispatch.actionId)) closing.set(r.dispatch.actionId, r);
  const statuses = [...closing.values()].map((r) => ({
    id: String(r.dispatch.messageId),
    status: finished.get(r.dispatch.actionId) ? 'failed' : r.dispatch.kind === 'replay' ? 'replayed' : 'redirected',
  }));
  const moved = new Map((statuses.length === 0 ? [] : await tx.$queryRaw<{ id: bigint; status: string; version: number }[]>`
    UPDATE messages m SET status = r.status::message_status, version = m.version + 1
    FROM json_to_recordset(${JSON.stringify(statuses)}::json) AS r(id bigint, status text)
    WHERE m.id = r.id AND m.status IN ('replaying', 'redirecting')
    RETURNING m.id, m.status::text AS status, m.version`).map((m) => [m.id, m]));

  return mine.map(({ dispatch: d, outcome }): TAuditEventInput => {
    const after: Record<string, string | number> = { dispatchId: d.id, attempts: d.attempts, state: outcome.state };
    const message = closing.get(d.actionId)?.dispatch.id === d.id ? moved.get(d.messageId) : undefined;
    if (message) Object.assign(after, { status: message.status, version: message.version });
    return {
      actor: WORKER,
      action: outcome.state === 'published' ? 'dispatch.published' : 'dispatch.failed',
      subject: `dispatch:${d.id}`,
      messageId: d.messageId,
      target: describeTarget(d),
      result: outcome.state === 'published' ? 'confirmed by the broker' : outcome.state === 'failed' ? outcome.result : '',
      after,
    };
  });
}

/** Gives back dispatches claimed but not published in time: the claim did not count as an attempt. */
export async function releaseDispatches(dispatches: TClaimedDispatch[]) {
  if (dispatches.length === 0) return;
  await prisma().$executeRaw`
    UPDATE dispatches d SET attempts = d.attempts - 1, lease_until = NULL
    FROM json_to_recordset(${JSON.stringify(dispatches.map((x) => ({ id: x.id, attempts: x.attempts })))}::json) AS r(id uuid, attempts int)
    WHERE d.id = r.id AND d.attempts = r.attempts AND d.state = 'pending'`;
}
