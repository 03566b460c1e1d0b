import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { scopeOf } from '../permissions/team-scope';
import { toApprovalSummary, type TApprovalSummary } from './approval-dto';
import { isApprovalId } from './approval-query';

// Approval requests, newest first. A team-scoped caller sees only the requests whose
// messages its teams all reach: one message of another team's and the request is not
// theirs to see, let alone decide.

export type TApprovalPage = { items: TApprovalSummary[]; nextCursor: string | null };

export async function listApprovals({ actor, status, messageId, limit = 50, cursor }: {
  actor: TActor;
  status?: string;
  messageId?: string;
  limit?: number;
  /** The id of the last request of the previous page. */
  cursor?: string;
}): Promise<TApprovalPage> {
  requirePermission(actor, 'messages:read');
  const after = cursor && isApprovalId(cursor)
    ? await prisma().approvalRequest.findUnique({ where: { id: cursor }, select: { id: true, requestedAt: true } })
    : null;
  // A cursor that names no request would silently restart at the first page: a script paging on would loop.
  if (cursor && !after) throw new AppError('INVALID_INPUT', 'Invalid query parameter "cursor": is not a cursor returned by this API');
  const scope = scopeOf(actor);
  const ids = await prisma().$queryRaw<{ id: string }[]>`
    SELECT a.id::text FROM approval_requests a
    WHERE (${status ?? null}::text IS NULL OR a.status = ${status ?? null}::text)
      AND (${messageId ?? null}::bigint IS NULL OR ${messageId ?? null}::bigint = ANY(a.message_ids))
      AND (${after?.requestedAt ?? null}::timestamptz IS NULL OR (a.requested_at, a.id) < (${after?.requestedAt ?? null}::timestamptz, ${after?.id ?? null}::uuid))
      AND (${scope === null}::boolean OR NOT EXISTS (
        SELECT 1 FROM messages m WHERE m.id = ANY(a.message_ids)
          AND NOT (COALESCE(m.origin_queue = ANY(${scope?.origins ?? []}::text[]), false) OR m.source_queue = ANY(${scope?.sources ?? []}::text[]))))
    ORDER BY a.requested_at DESC, a.id DESC
    LIMIT ${limit + 1}`;
  const page = ids.slice(0, limit).map((r) => r.id);
  const rows = await prisma().approvalRequest.findMany({ where: { id: { in: page } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    items: page.flatMap((id) => (byId.has(id) ? [toApprovalSummary(byId.get(id)!, actor)] : [])),
    nextCursor: ids.length > limit ? page[page.length - 1]! : null,
  };
}
