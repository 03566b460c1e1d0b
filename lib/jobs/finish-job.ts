import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { recordJobEvent } from './record-job-event';

// The worker's end of a job, each in one transaction with its audit event: completed
// (every item done or failed: the counts and up to 100 failures), halted by its canary, or
// failed (its requester can no longer act). Items never reached are marked skipped, and an
// approval the job ran under is marked executed, with the job's outcome as its result.

const WORKER = 'system:worker';
const LISTED_FAILURES = 100;

export async function completeJob(jobId: string, owner: string): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ done: number; failed: number; total: number }[]>`
      UPDATE bulk_jobs SET status = 'completed', finished_at = now(), lease_owner = NULL, lease_until = NULL, version = version + 1, updated_at = now()
      WHERE id = ${jobId}::uuid AND status = 'running' AND lease_owner = ${owner}
        AND NOT EXISTS (SELECT 1 FROM bulk_job_items WHERE job_id = ${jobId}::uuid AND state = 'pending')
      RETURNING done, failed, total`;
    if (!job) return false;
    const failures = await tx.bulkJobItem.findMany({
      where: { jobId, state: 'failed' }, orderBy: { position: 'asc' }, take: LISTED_FAILURES, select: { messageId: true, error: true },
    });
    const summary = { job: jobId, status: 'completed', total: job.total, done: job.done, failed: job.failed, failures: failures.map((f) => ({ messageId: String(f.messageId), error: f.error })) };
    await markApprovalExecuted(tx, jobId, summary);
    await recordJobEvent(tx, {
      jobId,
      actor: WORKER,
      action: 'job.completed',
      result: `${job.done} of ${job.total} done${job.failed ? `, ${job.failed} failed` : ''}`,
      outcome: job.failed ? 'failed' : 'succeeded',
      before: { status: 'running' },
      after: summary,
    });
    return true;
  });
}

/** Halted (by the canary) or failed (cannot run at all); `from`: the statuses it may end from. */
export async function stopJob(jobId: string, { status, reason, from }: { status: 'halted' | 'failed'; reason: string; from: string[] }): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ done: number; failed: number; total: number; before: string }[]>`
      UPDATE bulk_jobs j SET status = ${status}, halt_reason = ${reason}, finished_at = now(), lease_owner = NULL, lease_until = NULL,
        version = j.version + 1, updated_at = now()
      FROM (SELECT id, status AS before FROM bulk_jobs WHERE id = ${jobId}::uuid FOR UPDATE) b
      WHERE j.id = b.id AND j.status = ANY(${from}::text[])
      RETURNING j.done, j.failed, j.total, b.before`;
    if (!job) return false;
    const skipped = await tx.$executeRaw`UPDATE bulk_job_items SET state = 'skipped' WHERE job_id = ${jobId}::uuid AND state = 'pending'`;
    const summary = { job: jobId, status, haltReason: reason, total: job.total, done: job.done, failed: job.failed, skipped };
    await markApprovalExecuted(tx, jobId, summary);
    await recordJobEvent(tx, {
      jobId,
      actor: WORKER,
      action: status === 'halted' ? 'job.halted' : 'job.failed',
      result: reason,
      outcome: 'failed',
      before: { status: job.before },
      after: summary,
    });
    return true;
  });
}

async function markApprovalExecuted(tx: Prisma.TransactionClient, jobId: string, result: Prisma.InputJsonObject) {
  await tx.approvalRequest.updateMany({ where: { jobId, status: 'approved', executedAt: null }, data: { executedAt: new Date(), result } });
}
