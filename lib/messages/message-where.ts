import type { Prisma } from '../db/generated/client';
import type { TMessageFilters } from './message-dto';

/** Free text is matched literally: Prisma's `contains` does not escape LIKE wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE clause of the list filters; shared by the page and the counts. */
export function messageWhere(f: TMessageFilters): Prisma.MessageWhereInput {
  return {
    sourceQueue: f.source,
    originQueue: f.origin,
    reason: f.reason,
    status: f.status,
    searchText: f.q ? { contains: escapeLike(f.q), mode: 'insensitive' } : undefined,
    ingestedAt: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
    groupId: f.group ? BigInt(f.group) : undefined,
    ownerTeamId: f.owner,
  };
}

/**
 * The WHERE clause of the filters, for every reader of a filtered set: the list, the
 * counts, a bulk job freezing its selection. Async, because some filters are resolved
 * with a query of their own first.
 */
export async function resolveMessageWhere(f: TMessageFilters): Promise<Prisma.MessageWhereInput> {
  return messageWhere(f);
}
