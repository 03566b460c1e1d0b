import { actorKey, actorLabel, type TActor } from '../actor';
import { APPROVAL_PERMISSION, CANCEL_ANY_PERMISSION } from '../approvals/approval-kinds';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { BulkJob, Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { canActor, requirePermission } from '../permissions/require-permission';
import { findJobInScope, toJobDtos } from './get-job';
import type { TJob } from './job-dto';
import type { TJobKind, TJobStatus } from './job-input';
import { recordJobEvent, type TJobAuditAction } from './record-job-event';

// An operator's pause, resume or cancel of a job: one transaction that locks the job,
// checks the move is allowed from where it is (409 naming the status otherwise), changes
// it and audits it. The worker running the job reads the status between messages, so a
// pause or cancel stops it within a fraction of a second; a message already being acted
// on finishes (its action is one transaction, never half done).

type TMove = {
  from: readonly TJobStatus[];
  to: TJobStatus;
  action: TJobAuditAction;
  verb: string;
};

export const MOVES = {
  pause: { from: ['queued', 'running', 'canary'], to: 'paused', action: 'job.paused', verb: 'paused' },
  // The worker decides between the canary and the rest (canary_passed_at) when it picks the job up again.
  resume: { from: ['paused'], to: 'queued', action: 'job.resumed', verb: 'resumed' },
  cancel: { from: ['awaiting_approval', 'queued', 'running', 'canary', 'paused'], to: 'cancelled', action: 'job.cancelled', verb: 'cancelled' },
} as const satisfies Record<string, TMove>;

export async function transitionJob({ actor, id, move, reason, requestId }: {
  actor: TActor;
  id: string;
  move: keyof typeof MOVES;
  reason?: string | null;
  requestId?: string;
}): Promise<TJob> {
  const rule: TMove = MOVES[move];
  const why = reason?.trim() || null;
  // Before the job is looked up, so a caller who can run no job at all learns nothing about which exist.
  if (!Object.values(APPROVAL_PERMISSION).some((p) => canActor(actor, p))) {
    throw new AppError('FORBIDDEN', 'Controlling a bulk job needs the permission of its action (messages:replay, messages:redirect or messages:discard)');
  }
  const row = await prisma().$transaction(async (tx) => {
    const job = await findJobInScope(tx, actor, id, { forUpdate: true });
    requirePermission(actor, APPROVAL_PERMISSION[job.kind as TJobKind]);
    if (!(rule.from as readonly string[]).includes(job.status)) {
      const said = (status: string) => status.replace('_', ' ');
      throw new AppError('CONFLICT', `Job ${id} is ${said(job.status)}; only a job that is ${rule.from.map(said).join(', ')} can be ${rule.verb}`, { status: job.status });
    }
    if (job.status === 'awaiting_approval') await withdrawApproval(tx, { actor, job, why, requestId });
    const finished = rule.to === 'cancelled';
    const updated = await tx.bulkJob.update({
      where: { id },
      data: { status: rule.to, version: { increment: 1 }, ...(finished ? { finishedAt: new Date() } : {}) },
    });
    if (finished) {
      await tx.$executeRaw`UPDATE bulk_job_items SET state = 'skipped' WHERE job_id = ${id}::uuid AND state = 'pending'`;
      await tx.$executeRaw`UPDATE approval_requests SET executed_at = now(), result = ${JSON.stringify({ job: id, status: 'cancelled' })}::jsonb WHERE job_id = ${id}::uuid AND status = 'approved' AND executed_at IS NULL`;
    }
    await recordJobEvent(tx, {
      jobId: id,
      actor: actorLabel(actor),
      action: rule.action,
      reason: why,
      requestId,
      result: `${job.done} done, ${job.failed} failed of ${job.total}`,
      before: { status: job.status },
      after: { job: id, status: rule.to, done: job.done, failed: job.failed, total: job.total },
    });
    return updated;
  }, { maxWait: 10_000, timeout: 30_000 });
  return (await toJobDtos(prisma(), actor, [row]))[0]!;
}

/** Cancelling a job that waits for approval withdraws the request: only its requester or an admin may. */
async function withdrawApproval(tx: Prisma.TransactionClient, { actor, job, why, requestId }: { actor: TActor; job: BulkJob; why: string | null; requestId?: string }) {
  const mine = actorKey(actor) === job.createdByKey;
  if (!mine && !canActor(actor, CANCEL_ANY_PERMISSION)) throw new AppError('FORBIDDEN', 'Only the requester or an admin can cancel a job that waits for approval');
  const pending = await tx.approvalRequest.findMany({ where: { jobId: job.id, status: 'pending' }, select: { id: true, requestedBy: true } });
  for (const approval of pending) {
    await tx.approvalRequest.update({
      where: { id: approval.id },
      data: { status: 'cancelled', decidedAt: new Date(), decisionReason: why, ...(mine ? {} : { decidedBy: actorLabel(actor), decidedByKey: actorKey(actor) }) },
    });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor),
      action: 'approval.cancelled',
      subject: `approval:${approval.id}`,
      reason: why,
      requestId,
      before: { status: 'pending' },
      after: { approval: approval.id, status: 'cancelled', requestedBy: approval.requestedBy, job: job.id },
    });
  }
}
