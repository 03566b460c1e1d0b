import { recordAuditEvent, type TAuditAction, type TAuditEventInput } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';

// A bulk job's own audit events (docs/decisions/0016): its creation with the frozen
// selection, each change of its status, and its end with the counts. Each message's
// action is audited by the domain action itself.

export const JOB_AUDIT_ACTIONS = [
  'job.created',
  'job.queued',
  'job.started',
  'job.canary_passed',
  'job.halted',
  'job.paused',
  'job.resumed',
  'job.cancelled',
  'job.rejected',
  'job.completed',
  'job.failed',
] as const;
export type TJobAuditAction = (typeof JOB_AUDIT_ACTIONS)[number];

export async function recordJobEvent(
  tx: Prisma.TransactionClient,
  event: Omit<TAuditEventInput, 'action' | 'subject'> & { action: TJobAuditAction; jobId: string },
) {
  const { jobId, action, ...rest } = event;
  // The job.* names join AUDIT_ACTIONS in lib/audit (listed there by the audit owner).
  await recordAuditEvent(tx, { ...rest, action: action as TAuditAction, subject: `job:${jobId}` });
}
