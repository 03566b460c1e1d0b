import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { escapeLike } from '../messages/message-where';
import { requirePermission } from '../permissions/require-permission';
import { loadExceptionMasker } from './exception-redaction';
import { toGroupDtos } from './group-details';
import { groupScopeWhere } from './group-scope';
import type { TGroupPage, TGroupQuery } from './group-dto';

// Failure groups, most recently seen (or largest) first, keyset paged. The groups table
// holds one row per distinct failure; the per-group figures are aggregated for the page's
// groups only (group-details.ts). A team-scoped caller sees the groups that have a stored
// message in its scope (group-scope.ts), and counts only those messages.

type TCursor = { sort: TGroupQuery['sort']; key: string; id: bigint };

export function encodeGroupCursor(c: TCursor): string {
  return Buffer.from(`${c.sort === 'count' ? 'c' : 'l'}${c.key}.${c.id}`).toString('base64url');
}

function decodeGroupCursor(cursor: string, sort: TGroupQuery['sort']): TCursor {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^([cl])([0-9]{1,19})\.([1-9][0-9]{0,18})$/.exec(raw);
  if (!m || (m[1] === 'c') !== (sort === 'count')) {
    throw new AppError('INVALID_INPUT', 'Invalid query parameter "cursor": is not a cursor returned by this API for this sort');
  }
  return { sort, key: m[2]!, id: BigInt(m[3]!) };
}

function afterCursor(c: TCursor | null): Prisma.FailureGroupWhereInput {
  if (!c) return {};
  if (c.sort === 'count') {
    const count = BigInt(c.key);
    return { OR: [{ messageCount: { lt: count } }, { messageCount: count, id: { lt: c.id } }] };
  }
  const at = new Date(Number(c.key));
  return { OR: [{ lastSeenAt: { lt: at } }, { lastSeenAt: at, id: { lt: c.id } }] };
}

export async function listGroups({ actor, query }: { actor: TActor; query: TGroupQuery }): Promise<TGroupPage> {
  requirePermission(actor, 'messages:read');
  const { origin, category, status, q, sort, limit, cursor } = query;
  if (q) (await loadExceptionMasker(actor)).assertTextFilterAllowed();
  const text = q ? { contains: escapeLike(q), mode: 'insensitive' as const } : undefined;
  const where: Prisma.FailureGroupWhereInput = {
    AND: [
      { originQueue: origin, category },
      text ? { OR: [{ exceptionType: text }, { exceptionMessage: text }] } : {},
      groupScopeWhere(actor, status),
      afterCursor(cursor ? decodeGroupCursor(cursor, sort) : null),
    ],
  };
  const rows = await prisma().failureGroup.findMany({
    where,
    orderBy: sort === 'count' ? [{ messageCount: 'desc' }, { id: 'desc' }] : [{ lastSeenAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await toGroupDtos(actor, page),
    nextCursor: rows.length > limit && last
      ? encodeGroupCursor({ sort, key: sort === 'count' ? last.messageCount.toString() : String(last.lastSeenAt.getTime()), id: last.id })
      : null,
  };
}
