import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { scopeMessageWhere } from '../permissions/team-scope';
import { isMessageId, type TFindMessagesQuery, type TMessagePage } from './message-dto';
import { resolveMessageWhere } from './message-where';
import { SUMMARY_SELECT, toMessageSummary } from './to-message-dto';

// Newest first by id (ids grow with ingest order). The cursor is the last id of the
// page, encoded so clients treat it as opaque; paging is an index range scan, so page
// 1,000 costs what page 1 does.

export function encodeCursor(id: bigint): string {
  return Buffer.from(`m${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): bigint {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('m') || !isMessageId(raw.slice(1))) {
    throw new AppError('INVALID_INPUT', 'Invalid query parameter "cursor": is not a cursor returned by this API');
  }
  return BigInt(raw.slice(1));
}

export async function findMessages({ actor, query }: { actor: TActor; query: TFindMessagesQuery }): Promise<TMessagePage> {
  requirePermission(actor, 'messages:read');
  const { limit, cursor, ...filters } = query;
  const beforeId = cursor ? decodeCursor(cursor) : undefined;
  // A search resolves to the ids of one page (and one more, to know there is a next): the
  // cursor goes into the search itself, so paging never stops at the search cap.
  const where = await resolveMessageWhere(filters, { actor, beforeId, maxIds: limit + 1 });
  const rows = await prisma().message.findMany({
    where: { AND: [where, scopeMessageWhere(actor)], id: beforeId !== undefined ? { lt: beforeId } : undefined },
    orderBy: { id: 'desc' },
    take: limit + 1,
    select: SUMMARY_SELECT,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map(toMessageSummary),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}
