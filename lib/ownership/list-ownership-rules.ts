import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { toRuleDto, type TOwnershipRule } from './ownership-rule-dto';

/** Every rule in position order, with how many messages each has assigned to its team. */
export async function listOwnershipRules({ actor }: { actor: TActor }): Promise<TOwnershipRule[]> {
  requirePermission(actor, 'teams:read');
  const db = prisma();
  const [rules, counts] = await Promise.all([
    db.ownershipRule.findMany({ orderBy: [{ position: 'asc' }, { createdAt: 'asc' }], include: { team: { select: { name: true } } } }),
    db.message.groupBy({ by: ['ownerRuleId'], where: { ownerRuleId: { not: null } }, _count: { _all: true } }),
  ]);
  const tagged = new Map(counts.map((c) => [c.ownerRuleId, c._count._all]));
  return rules.map((r) => toRuleDto(r, tagged.get(r.id) ?? 0));
}
