import type { Prisma } from '../db/generated/client';
import type { TDeathReason } from '../ingest/parse-death-headers';
import { categoriseGroup } from './categories';
import { holdCategoryLock } from './category-lock';
import { loadCategoryRules } from './load-category-rules';

// After a rule change, every group's category again, in the transaction of the change. The
// groups are read in keyset batches of the fields the rules look at (repeated deaths is a
// column the classifier keeps, so no group's messages are read), the rules are evaluated
// here, and each batch's changes are written by one UPDATE. Returns how many groups changed.

const BATCH = 1000;

/** Call first in the transaction of a rule change: it waits for running classifier steps. */
export async function lockCategories(tx: Prisma.TransactionClient): Promise<void> {
  await holdCategoryLock(tx);
}

export async function recategoriseGroups(tx: Prisma.TransactionClient): Promise<number> {
  const rules = await loadCategoryRules(tx);
  let changed = 0;
  let after = 0n;
  for (;;) {
    const groups = await tx.failureGroup.findMany({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: BATCH,
      select: { id: true, reason: true, exceptionType: true, exceptionMessage: true, repeatedDeaths: true, category: true, suggestedAction: true, categoryRuleId: true },
    });
    if (groups.length === 0) return changed;
    after = groups[groups.length - 1]!.id;
    const ids: string[] = [];
    const categories: string[] = [];
    const actions: string[] = [];
    const ruleIds: (string | null)[] = [];
    for (const g of groups) {
      const c = categoriseGroup({ reason: g.reason as TDeathReason, exceptionType: g.exceptionType, exceptionMessage: g.exceptionMessage, repeatedDeaths: g.repeatedDeaths }, rules);
      if (c.category === g.category && c.suggestedAction === g.suggestedAction && c.categoryRuleId === g.categoryRuleId) continue;
      ids.push(g.id.toString());
      categories.push(c.category);
      actions.push(c.suggestedAction);
      ruleIds.push(c.categoryRuleId);
    }
    if (ids.length > 0) {
      changed += await tx.$executeRaw`
        UPDATE failure_groups g SET category = v.category, suggested_action = v.suggested_action, category_rule_id = v.category_rule_id
        FROM unnest(${ids}::bigint[], ${categories}::text[], ${actions}::text[], ${ruleIds}::uuid[]) AS v(id, category, suggested_action, category_rule_id)
        WHERE g.id = v.id`;
    }
    if (groups.length < BATCH) return changed;
  }
}
