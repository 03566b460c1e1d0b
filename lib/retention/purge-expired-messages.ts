import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import type { TMessageStatus } from '../messages/message-dto';
import { RETENTION_AUDIT } from '../ownership/ownership-audit-actions';
import { ANY_SOURCE, RETAINABLE_STATUSES } from './retention-policy-dto';

// One batch of retention (docs/decisions/0017): deletes at most `batchSize` messages whose
// status has outlived its policy, and records what it deleted (per source and status) in
// the same transaction. Every replica runs it; SKIP LOCKED hands each row to one of them,
// so two purges at once delete, and count, disjoint rows.
//
// Only replayed, redirected and discarded messages are deleted, whatever a policy says (one
// set for another status before that was refused stays inert). Never deleted: an unresolved
// message (new, edited, failed), a publish in flight (replaying, redirecting), a message a bulk job that
// has not finished still names, one a request waiting for (or approved and not yet run
// by) a second person names, and audit events (their own trigger refuses it anyway).
// Revisions and dispatches go with their message (ON DELETE CASCADE; the revisions'
// immutability trigger lets a cascade through once the message row is gone).

export type TPurgeCount = { sourceQueue: string; status: TMessageStatus; count: number; policy: { sourceQueue: string; days: number } };

const UNFINISHED_JOBS = ['queued', 'running', 'canary', 'paused', 'awaiting_approval'];

export async function purgeExpiredMessages({ batchSize }: { batchSize: number }): Promise<{ purged: number; counts: TPurgeCount[]; more: boolean }> {
  return prisma().$transaction(async (tx) => {
    const policies = await tx.retentionPolicy.findMany({ where: { days: { not: null }, status: { in: [...RETAINABLE_STATUSES] } } });
    if (policies.length === 0) return { purged: 0, counts: [], more: false };
    const statuses = [...new Set(policies.map((p) => p.status))];
    // Only a bound for the index on (status, status_changed_at); each row's own policy decides.
    const minDays = Math.min(...policies.map((p) => p.days!));
    const deleted = await tx.$queryRaw<{ sourceQueue: string; status: TMessageStatus }[]>`
      DELETE FROM messages WHERE id IN (
        SELECT m.id FROM messages m
        WHERE m.status = ANY(${statuses}::message_status[])
          AND m.status = ANY(${[...RETAINABLE_STATUSES]}::message_status[])
          AND m.status_changed_at < now() - make_interval(days => ${minDays}::int)
          AND m.status_changed_at < now() - make_interval(days => (
            SELECT p.days FROM retention_policies p
            WHERE p.status = m.status AND p.source_queue IN (m.source_queue, ${ANY_SOURCE})
            ORDER BY p.source_queue = ${ANY_SOURCE} LIMIT 1))
          AND NOT EXISTS (
            SELECT 1 FROM bulk_job_items i JOIN bulk_jobs j ON j.id = i.job_id
            WHERE i.message_id = m.id AND j.status = ANY(${UNFINISHED_JOBS}::text[]))
          AND NOT EXISTS (
            SELECT 1 FROM approval_requests a
            WHERE m.id = ANY(a.message_ids) AND (a.status = 'pending' OR (a.status = 'approved' AND a.executed_at IS NULL)))
        ORDER BY m.id
        LIMIT ${batchSize}
        FOR UPDATE OF m SKIP LOCKED)
      RETURNING source_queue AS "sourceQueue", status::text AS status`;
    if (deleted.length === 0) return { purged: 0, counts: [], more: false };

    const policyOf = (sourceQueue: string, status: TMessageStatus) =>
      policies.find((p) => p.sourceQueue === sourceQueue && p.status === status) ?? policies.find((p) => p.sourceQueue === ANY_SOURCE && p.status === status);
    const byKey = new Map<string, TPurgeCount>();
    for (const d of deleted) {
      const key = `${d.sourceQueue}\u0000${d.status}`;
      const known = byKey.get(key);
      if (known) known.count++;
      else {
        const p = policyOf(d.sourceQueue, d.status);
        byKey.set(key, { sourceQueue: d.sourceQueue, status: d.status, count: 1, policy: { sourceQueue: p?.sourceQueue ?? ANY_SOURCE, days: p?.days ?? 0 } });
      }
    }
    const counts = [...byKey.values()].sort((a, b) => a.sourceQueue.localeCompare(b.sourceQueue) || a.status.localeCompare(b.status));
    await recordAuditEvent(tx, {
      actor: 'system:worker', action: RETENTION_AUDIT.purged, subject: 'retention',
      after: { total: deleted.length, counts },
    });
    return { purged: deleted.length, counts, more: deleted.length === batchSize };
  }, AUDITED_TRANSACTION);
}
