import { actorLabel, type TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { recordJobEvent } from './record-job-event';

// A bulk job's approval decided (lib/approvals), inside the decision's transaction: approved
// queues the job for the worker (it never runs in the approving request), rejected and
// cancelled end it before it touched anything.

export type TApprovalOutcome = 'approved' | 'rejected' | 'cancelled';

export async function applyApprovalToJob(tx: Prisma.TransactionClient, { jobId, approvalId, actor, outcome, reason, requestId }: {
  jobId: string;
  approvalId: string;
  actor: TActor;
  outcome: TApprovalOutcome;
  reason?: string | null;
  requestId?: string;
}) {
  const [job] = await tx.$queryRaw<{ status: string; total: number }[]>`SELECT status, total FROM bulk_jobs WHERE id = ${jobId}::uuid FOR UPDATE`;
  if (!job) throw new AppError('NOT_FOUND', `No job with id ${jobId}`);
  if (job.status !== 'awaiting_approval') throw new AppError('CONFLICT', `Job ${jobId} is ${job.status}, not waiting for approval`, { status: job.status });
  const status = outcome === 'approved' ? 'queued' : outcome;
  await tx.$executeRaw`
    UPDATE bulk_jobs SET status = ${status}, version = version + 1, updated_at = now(),
      finished_at = CASE WHEN ${status} = 'queued' THEN NULL ELSE now() END
    WHERE id = ${jobId}::uuid`;
  if (status !== 'queued') await tx.$executeRaw`UPDATE bulk_job_items SET state = 'skipped' WHERE job_id = ${jobId}::uuid AND state = 'pending'`;
  await recordJobEvent(tx, {
    jobId,
    actor: actorLabel(actor),
    action: outcome === 'approved' ? 'job.queued' : outcome === 'rejected' ? 'job.rejected' : 'job.cancelled',
    reason: reason ?? null,
    requestId,
    result: outcome === 'approved' ? `approved; ${job.total} messages queued for the worker` : `approval ${outcome}; nothing was done`,
    before: { status: 'awaiting_approval' },
    after: { job: jobId, status, approval: approvalId },
  });
}
