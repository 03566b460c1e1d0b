import { actorKey, actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { canActor } from '../permissions/require-permission';
import type { TApprovalDetail } from './approval-dto';
import { CANCEL_ANY_PERMISSION, type TApprovalKind } from './approval-kinds';
import { approvalMessageCount, describeApproval } from './describe-approval';
import { findApprovalInScope, getApproval } from './get-approval';
import { applyApprovalToJob } from '../jobs/apply-approval-to-job';

/**
 * Withdraws a pending request: the requester, or an admin clearing the queue. An admin's
 * cancellation is recorded as their decision; the requester's own leaves `decided_by`
 * empty (the four-eyes check forbids it to be the requester) and is in the audit record.
 */
export async function cancelApproval({ actor, id, reason, requestId }: { actor: TActor; id: string; reason?: string | null; requestId?: string }): Promise<TApprovalDetail> {
  const why = reason?.trim() || null;
  await prisma().$transaction(async (tx) => {
    const row = await findApprovalInScope(tx, actor, id, { forUpdate: true });
    const mine = actorKey(actor) === row.requestedByKey;
    if (!mine && !canActor(actor, CANCEL_ANY_PERMISSION)) throw new AppError('FORBIDDEN', 'Only the requester or an admin can cancel a request');
    if (row.status !== 'pending') throw new AppError('CONFLICT', `This request is ${row.status}; only a pending request can be cancelled`, { status: row.status });
    await tx.approvalRequest.update({
      where: { id },
      data: { status: 'cancelled', decidedAt: new Date(), decisionReason: why, ...(mine ? {} : { decidedBy: actorLabel(actor), decidedByKey: actorKey(actor) }) },
    });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor),
      action: 'approval.cancelled',
      subject: `approval:${id}`,
      messageId: row.messageIds.length === 1 ? row.messageIds[0] : undefined,
      reason: why,
      requestId,
      target: describeApproval(row.kind as TApprovalKind, row.input, approvalMessageCount(row.input, row.messageIds.length)),
      before: { status: 'pending' },
      after: { approval: id, status: 'cancelled', requestedBy: row.requestedBy, ...(row.jobId ? { job: row.jobId } : {}) },
    });
    // A bulk job waiting for this request ends with it.
    if (row.jobId) await applyApprovalToJob(tx, { jobId: row.jobId, approvalId: id, actor, outcome: 'cancelled', reason: why, requestId });
  }, { maxWait: 10_000, timeout: 30_000 });
  return getApproval({ actor, id });
}
