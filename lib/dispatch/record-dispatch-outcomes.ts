import { recordAuditEvent, type TAuditEventInput } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import type { TMessageStatus } from '../messages/message-dto';
import type { TClaimedDispatch } from './claim-dispatches';
import { describeTarget } from './create-dispatches';
import type { TPublishOutcome } from './publish-with-confirms';

// The second transaction of a publish: each outcome, its audit event, and the message's
// status once every dispatch of its action has settled. An outcome is written only while
// the dispatcher's lease holds (same `attempts`); a lease that ran out belongs to whoever
// claimed the row next.

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

export async function recordDispatchOutcomes(outcomes: { dispatch: TClaimedDispatch; outcome: TPublishOutcome }[]) {
  if (outcomes.length === 0) return;
  // Messages locked in one order by every dispatcher, so two of them never deadlock.
  const ordered = [...outcomes].sort((a, b) => (a.dispatch.messageId < b.dispatch.messageId ? -1 : a.dispatch.messageId > b.dispatch.messageId ? 1 : 0));
  await prisma().$transaction(async (tx) => {
    // Recorded after every change of the batch: the audit chain's lock is held from the
    // first event to the commit, so the events go last, together (docs/decisions/0016).
    const events: TAuditEventInput[] = [];
    for (const { dispatch: d, outcome: given } of ordered) {
      const outcome: TPublishOutcome = given.state === 'retry' && d.attempts >= MAX_ATTEMPTS
        ? { state: 'failed', result: `no answer from the broker after ${d.attempts} attempts (last: ${given.error}); it may have been delivered, with replay id ${d.id}` }
        : given;
      // Locks the message first: the last of an action's dispatches to settle sees the others' outcomes.
      await tx.$queryRaw`SELECT 1 FROM messages WHERE id = ${d.messageId} FOR UPDATE`;
      const target = describeTarget(d);
      if (outcome.state === 'retry') {
        const delay = retryDelayMs(d.attempts);
        const updated = await tx.$executeRaw`
          UPDATE dispatches SET last_error = ${outcome.error}, lease_until = NULL,
            next_attempt_at = now() + ${delay} * interval '1 millisecond'
          WHERE id = ${d.id}::uuid AND attempts = ${d.attempts} AND state = 'pending'`;
        if (updated === 0 || !isAuditedAttempt(d.attempts)) continue;
        events.push({
          actor: WORKER, action: 'dispatch.retrying', subject: `dispatch:${d.id}`, messageId: d.messageId, target,
          result: `attempt ${d.attempts} failed: ${outcome.error}; retrying in ${Math.round(delay / 1000)} s`,
          after: { dispatchId: d.id, attempts: d.attempts, state: 'pending' },
        });
        continue;
      }
      const updated = await tx.$executeRaw`
        UPDATE dispatches SET state = ${outcome.state}, last_error = ${outcome.state === 'failed' ? outcome.result : null},
          lease_until = NULL, settled_at = now()
        WHERE id = ${d.id}::uuid AND attempts = ${d.attempts} AND state = 'pending'`;
      if (updated === 0) continue;
      const after: Record<string, string | number> = { dispatchId: d.id, attempts: d.attempts, state: outcome.state };
      if (d.kind !== 'sandbox') {
        const [tally] = await tx.$queryRaw<{ pending: number; failed: number }[]>`
          SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending, count(*) FILTER (WHERE state = 'failed')::int AS failed
          FROM dispatches WHERE action_id = ${d.actionId}::uuid`;
        if (tally!.pending === 0) {
          const status: TMessageStatus = tally!.failed > 0 ? 'failed' : d.kind === 'replay' ? 'replayed' : 'redirected';
          const [message] = await tx.$queryRaw<{ version: number }[]>`
            UPDATE messages SET status = ${status}::message_status, version = version + 1
            WHERE id = ${d.messageId} AND status IN ('replaying', 'redirecting')
            RETURNING version`;
          if (message) Object.assign(after, { status, version: message.version });
        }
      }
      events.push({
        actor: WORKER,
        action: outcome.state === 'published' ? 'dispatch.published' : 'dispatch.failed',
        subject: `dispatch:${d.id}`,
        messageId: d.messageId,
        target,
        result: outcome.state === 'published' ? 'confirmed by the broker' : outcome.result,
        after,
      });
    }
    for (const event of events) await recordAuditEvent(tx, event);
  }, { maxWait: 10_000, timeout: 30_000 });
}

/** Gives back dispatches claimed but not published in time: the claim did not count as an attempt. */
export async function releaseDispatches(dispatches: TClaimedDispatch[]) {
  if (dispatches.length === 0) return;
  await prisma().$executeRaw`
    UPDATE dispatches d SET attempts = d.attempts - 1, lease_until = NULL
    FROM json_to_recordset(${JSON.stringify(dispatches.map((x) => ({ id: x.id, attempts: x.attempts })))}::json) AS r(id uuid, attempts int)
    WHERE d.id = r.id AND d.attempts = r.attempts AND d.state = 'pending'`;
}
