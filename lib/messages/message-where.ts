import type { Prisma } from '../db/generated/client';
import type { TMessageFilters } from './message-dto';

/** The WHERE clause of the list filters; shared by the page and the counts. */
export function messageWhere(f: TMessageFilters): Prisma.MessageWhereInput {
  return {
    sourceQueue: f.source,
    originQueue: f.origin,
    reason: f.reason,
    status: f.status,
    searchText: f.q ? { contains: f.q, mode: 'insensitive' } : undefined,
    ingestedAt: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
  };
}
