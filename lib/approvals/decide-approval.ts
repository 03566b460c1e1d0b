import { actorKey, actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import type { TApprovalDetail } from './approval-dto';
import { APPROVAL_PERMISSION, type TApprovalKind } from './approval-kinds';
import { approvalMessageCount, describeApproval } from './describe-approval';
import { executeApproval } from './execute-approval';
import { findApprovalInScope, getApproval } from './get-approval';
import { applyApprovalToJob } from '../jobs/apply-approval-to-job';

// The second person's decision. Only a pending request can be decided, by someone other
// than the requester (by actor key, 'user:<id>' or 'token:<id>': a token is an identity of
// its own, made by an admin) who may do the action on every one of its messages, now.
// Approving runs the action at once, in this call; approving a bulk job's request queues
// the job for the worker instead, in the same transaction (lib/jobs).
// Approving a request that is approved but did not finish (the process died mid-way)
// resumes it: see execute-approval.ts.

export type TDecision = 'approve' | 'reject';

export async function decideApproval({ actor, id, decision, reason, requestId }: {
  actor: TActor;
  id: string;
  decision: TDecision;
  reason?: string | null;
  requestId?: string;
}): Promise<TApprovalDetail> {
  const why = reason?.trim() || null;
  if (decision === 'reject' && !why) throw new AppError('INVALID_INPUT', '"reason" is required to reject: say why it must not run');

  const step = await prisma().$transaction(async (tx) => {
    const row = await findApprovalInScope(tx, actor, id, { forUpdate: true });
    const kind = row.kind as TApprovalKind;
    requirePermission(actor, APPROVAL_PERMISSION[kind]);
    if (actorKey(actor) === row.requestedByKey || (await personBehind(tx, actorKey(actor), actorLabel(actor))) === (await personBehind(tx, row.requestedByKey, row.requestedBy))) {
      throw new AppError('FORBIDDEN', decision === 'approve' ? 'You cannot approve your own request (or one made with a token you created)' : 'You cannot reject your own request; cancel it instead');
    }
    if (row.status === 'approved' && row.executedAt === null && decision === 'approve') {
      if (row.jobId) throw new AppError('CONFLICT', `This request was approved by ${row.decidedBy ?? 'someone'}; its job runs in the worker (/jobs/${row.jobId})`, { status: row.status, jobId: row.jobId });
      return { step: 'resume' as const, jobId: null };
    }
    if (row.status !== 'pending') throw new AppError('CONFLICT', stateSentence(row), { status: row.status, executedAt: row.executedAt?.toISOString() ?? null });

    const status = decision === 'approve' ? 'approved' : 'rejected';
    await tx.approvalRequest.update({
      where: { id },
      data: { status, decidedBy: actorLabel(actor), decidedByKey: actorKey(actor), decidedAt: new Date(), decisionReason: why },
    });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor),
      action: decision === 'approve' ? 'approval.approved' : 'approval.rejected',
      subject: `approval:${id}`,
      messageId: row.messageIds.length === 1 ? row.messageIds[0] : undefined,
      reason: why,
      requestId,
      target: describeApproval(kind, row.input, approvalMessageCount(row.input, row.messageIds.length)),
      before: { status: 'pending' },
      after: { approval: id, status, requestedBy: row.requestedBy, grounds: row.grounds, ...(row.jobId ? { job: row.jobId } : {}) },
    });
    if (row.jobId) await applyApprovalToJob(tx, { jobId: row.jobId, approvalId: id, actor, outcome: status, reason: why, requestId });
    return { step: status, jobId: row.jobId };
  }, { maxWait: 10_000, timeout: 30_000 });

  if (step.step !== 'rejected' && step.jobId === null) {
    const execution = await executeApproval({ actor, id, requestId });
    // Approved just now and a concurrent approve of it got to run it first: it is running, which is what was asked.
    if (execution.state === 'running' && step.step === 'resume') {
      throw new AppError('CONFLICT', `Approval request ${id} is being executed right now; its result shows here when it finishes`);
    }
  }
  return getApproval({ actor, id });
}

function stateSentence(row: { status: string; decidedBy: string | null; executedAt: Date | null; requestedBy: string }): string {
  switch (row.status) {
    case 'approved':
      return `This request was already approved by ${row.decidedBy ?? 'someone'}${row.executedAt ? ' and has run' : ''}`;
    case 'rejected':
      return `This request was rejected by ${row.decidedBy ?? 'someone'}; it will not run`;
    case 'cancelled':
      return `This request was cancelled${row.decidedBy ? ` by ${row.decidedBy}` : ` by ${row.requestedBy}`}; it will not run`;
    default:
      return `This request is ${row.status}`;
  }
}

/**
 * Four eyes means two people, not two identities: a token counts as the person who created
 * it, so an admin cannot request as themselves and approve with a token they made (or the
 * other way round). Two tokens made by the same person, or by the CLI as the same OS user
 * on the same host, count as one person too.
 */
async function personBehind(tx: Prisma.TransactionClient, key: string, label: string): Promise<string> {
  if (!key.startsWith('token:')) return label;
  const token = await tx.apiToken.findUnique({ where: { id: key.slice('token:'.length) }, select: { createdBy: true } });
  return token?.createdBy ?? key;
}
