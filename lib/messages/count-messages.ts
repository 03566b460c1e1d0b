import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { scopeMessageWhere } from '../permissions/team-scope';
import type { TMessageCounts, TMessageFilters } from './message-dto';
import { resolveMessageSearch } from './message-where';

export async function countMessages({ actor, filters }: { actor: TActor; filters: TMessageFilters }): Promise<TMessageCounts> {
  requirePermission(actor, 'messages:read');
  const resolved = await resolveMessageSearch(filters, { actor });
  const where = { AND: [resolved.where, scopeMessageWhere(actor)] };
  const [bySource, byReason] = await Promise.all([
    prisma().message.groupBy({ by: ['sourceQueue'], where, _count: { _all: true }, orderBy: { sourceQueue: 'asc' } }),
    prisma().message.groupBy({ by: ['reason'], where, _count: { _all: true }, orderBy: { reason: 'asc' } }),
  ]);
  return {
    total: bySource.reduce((n, r) => n + r._count._all, 0),
    bySource: bySource.map((r) => ({ source: r.sourceQueue, count: r._count._all })),
    byReason: byReason.map((r) => ({ reason: r.reason, count: r._count._all })),
    capped: resolved.capped,
  };
}
