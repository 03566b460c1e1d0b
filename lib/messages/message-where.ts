import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { env } from '../env';
import { scopeOf } from '../permissions/team-scope';
import type { TMessageFilters } from './message-dto';
import { resolveSearchRestriction } from './search-redaction';
import { searchMessageIds } from './search-message-ids';
import { hasSearch } from './search-sql';

export { escapeLike } from './search-sql';

/** A search (q or path) resolves to at most this many ids, newest first; counts say when they hit it. */
export const SEARCH_MAX_IDS = 10_000;

/** The WHERE clause of the plain filters (everything but q and path). */
export function messageWhere(f: TMessageFilters): Prisma.MessageWhereInput {
  return {
    sourceQueue: f.source,
    originQueue: f.origin,
    reason: f.reason,
    status: f.status,
    ingestedAt: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
    groupId: f.group ? BigInt(f.group) : undefined,
    ownerTeamId: f.owner,
  };
}

export type TResolveOptions = {
  /** Who will see the result: their team scope narrows the search, and redaction rules limit it. */
  actor?: TActor;
  /** Ids a search may resolve to; default SEARCH_MAX_IDS, at most DLQ_JOB_MAX_MESSAGES (bulk jobs). */
  maxIds?: number;
  /** Only messages older than this id (the list's keyset cursor), so paging goes past the cap. */
  beforeId?: bigint;
};

export type TResolvedWhere = {
  where: Prisma.MessageWhereInput;
  /** The search matched more than maxIds messages: the where covers the newest maxIds of them. */
  capped: boolean;
};

/**
 * The filters as a where clause, saying whether a search hit its cap. The search part runs
 * as one bounded query of its own (search-message-ids.ts) and comes back as a list of ids.
 */
export async function resolveMessageSearch(f: TMessageFilters, options: TResolveOptions = {}): Promise<TResolvedWhere> {
  const where = messageWhere(f);
  if (!hasSearch(f)) return { where, capped: false };
  const maxIds = Math.min(options.maxIds ?? SEARCH_MAX_IDS, Math.max(SEARCH_MAX_IDS, env().DLQ_JOB_MAX_MESSAGES));
  const { identityOnly } = await resolveSearchRestriction(f, options.actor);
  const ids = await searchMessageIds(f, {
    limit: maxIds + 1,
    beforeId: options.beforeId,
    scope: options.actor ? scopeOf(options.actor) : null,
    identityOnly,
  });
  return { where: { ...where, id: { in: ids.slice(0, maxIds) } }, capped: ids.length > maxIds };
}

/**
 * The WHERE clause of the filters, for every reader of a filtered set: the list, the
 * counts, a bulk job freezing its selection. Async, because the search part is resolved
 * with a query of its own first. Pass the actor so the search is scoped and redaction-aware
 * (without one, free text matches identity fields only whenever redaction rules exist).
 */
export async function resolveMessageWhere(f: TMessageFilters, options: TResolveOptions = {}): Promise<Prisma.MessageWhereInput> {
  return (await resolveMessageSearch(f, options)).where;
}
