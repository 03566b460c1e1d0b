import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { scopeOf } from '../permissions/team-scope';
import { toJobDtos } from './get-job';
import type { TJob } from './job-dto';
import { isJobId, type TJobStatus } from './job-input';

// Jobs, newest first, as far as the caller's scope reaches (see get-job.ts).

export type TJobPage = { items: TJob[]; nextCursor: string | null };

export async function listJobs({ actor, status, limit = 50, cursor }: { actor: TActor; status?: TJobStatus; limit?: number; cursor?: string }): Promise<TJobPage> {
  requirePermission(actor, 'messages:read');
  const after = cursor && isJobId(cursor) ? await prisma().bulkJob.findUnique({ where: { id: cursor }, select: { id: true, createdAt: true } }) : null;
  // A cursor that names no job would silently restart at the first page: a script paging on would loop.
  if (cursor && !after) throw new AppError('INVALID_INPUT', 'Invalid query parameter "cursor": is not a cursor returned by this API');
  const scope = scopeOf(actor);
  const ids = await prisma().$queryRaw<{ id: string }[]>`
    SELECT id::text FROM bulk_jobs
    WHERE (${status ?? null}::text IS NULL OR status = ${status ?? null}::text)
      AND (${scope === null}::boolean OR (cardinality(scope_team_ids) > 0 AND scope_team_ids <@ ${scope?.teamIds ?? []}::uuid[]))
      AND (${after?.createdAt ?? null}::timestamptz IS NULL OR (created_at, id) < (${after?.createdAt ?? null}::timestamptz, ${after?.id ?? null}::uuid))
    ORDER BY created_at DESC, id DESC
    LIMIT ${limit + 1}`;
  const page = ids.slice(0, limit).map((r) => r.id);
  const rows = await prisma().bulkJob.findMany({ where: { id: { in: page } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  return { items: await toJobDtos(prisma(), actor, rows), nextCursor: ids.length > limit ? page[page.length - 1]! : null };
}
