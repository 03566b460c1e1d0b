import type { TActor } from '../actor';
import type { BulkJob, Prisma } from '../db/generated/client';
import { prisma, type TPrisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { scopeOf } from '../permissions/team-scope';
import { holdable, RATE_WINDOW_SECONDS, toJobDto, type TJob, type TJobStats } from './job-dto';
import { dueOutboxRows, outboxLimit } from './outbox-backlog';
import { isJobId } from './job-input';

// One job, as the caller may see it. A team-scoped caller sees the jobs created within
// its teams only (a job remembers the scope it was created in); any other job, and an
// unscoped one, is the same 404 as a job that does not exist.

type TDb = Prisma.TransactionClient | TPrisma;

export function isJobInScope(actor: TActor, job: Pick<BulkJob, 'scopeTeamIds'>): boolean {
  const scope = scopeOf(actor);
  if (!scope) return true;
  return job.scopeTeamIds.length > 0 && job.scopeTeamIds.every((t) => scope.teamIds.includes(t));
}

export async function findJobInScope(client: TDb, actor: TActor, id: string, { forUpdate = false } = {}): Promise<BulkJob> {
  const db = client as Prisma.TransactionClient;
  const notFound = new AppError('NOT_FOUND', `No job with id ${JSON.stringify(id.slice(0, 40))}`);
  if (!isJobId(id)) throw notFound;
  if (forUpdate) await db.$executeRaw`SELECT 1 FROM bulk_jobs WHERE id = ${id}::uuid FOR UPDATE`;
  const row = await db.bulkJob.findUnique({ where: { id } });
  if (!row || !isJobInScope(actor, row)) throw notFound;
  return row;
}

/** Skipped items and items processed in the last RATE_WINDOW_SECONDS, per job. */
export async function loadJobStats(client: TDb, jobIds: string[]): Promise<Map<string, TJobStats>> {
  const stats = new Map<string, TJobStats>(jobIds.map((id) => [id, { skipped: 0, recent: 0 }]));
  if (jobIds.length === 0) return stats;
  const rows = await (client as Prisma.TransactionClient).$queryRaw<{ jobId: string; skipped: number; recent: number }[]>`
    SELECT job_id::text AS "jobId",
      count(*) FILTER (WHERE state = 'skipped')::int AS skipped,
      count(*) FILTER (WHERE state IN ('done', 'failed') AND processed_at > now() - ${RATE_WINDOW_SECONDS} * interval '1 second')::int AS recent
    FROM bulk_job_items
    WHERE job_id = ANY(${jobIds}::uuid[]) AND (state = 'skipped' OR processed_at > now() - ${RATE_WINDOW_SECONDS} * interval '1 second')
    GROUP BY job_id`;
  for (const r of rows) stats.set(r.jobId, { skipped: r.skipped, recent: r.recent });
  return stats;
}

export async function loadJobApprovals(client: TDb, jobIds: string[]): Promise<Map<string, { id: string; status: string }>> {
  if (jobIds.length === 0) return new Map();
  const rows = await (client as Prisma.TransactionClient).approvalRequest.findMany({
    where: { jobId: { in: jobIds } },
    select: { id: true, status: true, jobId: true },
    orderBy: { requestedAt: 'asc' },
  });
  return new Map(rows.map((r) => [r.jobId!, { id: r.id, status: r.status }]));
}

export async function toJobDtos(client: TDb, actor: TActor, rows: BulkJob[]): Promise<TJob[]> {
  const ids = rows.map((r) => r.id);
  const [stats, approvals] = [await loadJobStats(client, ids), await loadJobApprovals(client, ids)];
  // One bounded read of the outbox for every job shown that it could hold.
  const limits = rows.filter(holdable).map((r) => outboxLimit(r.kind, r.ratePerSecond)!);
  const due = limits.length === 0 ? null : await dueOutboxRows(client, Math.max(...limits) + 1);
  return rows.map((r) => toJobDto(r, stats.get(r.id)!, approvals.get(r.id) ?? null, actor, due));
}

export async function getJob({ actor, id }: { actor: TActor; id: string }): Promise<TJob> {
  requirePermission(actor, 'messages:read');
  const row = await findJobInScope(prisma(), actor, id);
  return (await toJobDtos(prisma(), actor, [row]))[0]!;
}
