import { recordAuditEvent, type TAuditAction, type TAuditEventInput } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';

// A bulk job's own audit events (docs/decisions/0016): its creation with the frozen
// selection, each change of its status, and its end with the counts. Each message's
// action is audited by the domain action itself.

export type TJobAuditAction = Extract<TAuditAction, `job.${string}`>;

export async function recordJobEvent(
  tx: Prisma.TransactionClient,
  event: Omit<TAuditEventInput, 'action' | 'subject'> & { action: TJobAuditAction; jobId: string },
) {
  const { jobId, action, ...rest } = event;
  await recordAuditEvent(tx, { ...rest, action, subject: `job:${jobId}` });
}
