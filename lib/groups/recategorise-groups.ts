import type { Prisma } from '../db/generated/client';
import type { TDeathReason } from '../ingest/parse-death-headers';
import { categoriseGroup, POISON_DEATH_COUNT } from './categories';
import { holdCategoryLock } from './category-lock';
import { loadCategoryRules } from './load-category-rules';

// After a rule change, every group's category again, in the transaction of the change (the
// groups table holds one row per distinct failure: small). Returns how many groups changed.

/** Call first in the transaction of a rule change: it waits for running classifier steps. */
export async function lockCategories(tx: Prisma.TransactionClient): Promise<void> {
  await holdCategoryLock(tx);
}

export async function recategoriseGroups(tx: Prisma.TransactionClient): Promise<number> {
  const rules = await loadCategoryRules(tx);
  const groups = await tx.failureGroup.findMany({
    select: { id: true, reason: true, exceptionType: true, exceptionMessage: true, category: true, suggestedAction: true, categoryRuleId: true },
  });
  // Poison: a rejected group with a message that died again and again (index on group_id).
  const poisoned = new Set(
    (await tx.$queryRaw<{ id: bigint }[]>`
      SELECT g.id FROM failure_groups g
      WHERE g.reason = 'rejected' AND EXISTS (SELECT 1 FROM messages m WHERE m.group_id = g.id AND m.death_count >= ${POISON_DEATH_COUNT})`).map((r) => r.id),
  );
  let changed = 0;
  for (const g of groups) {
    const c = categoriseGroup({ reason: g.reason as TDeathReason, exceptionType: g.exceptionType, exceptionMessage: g.exceptionMessage, repeatedDeaths: poisoned.has(g.id) }, rules);
    if (c.category === g.category && c.suggestedAction === g.suggestedAction && c.categoryRuleId === g.categoryRuleId) continue;
    await tx.failureGroup.update({ where: { id: g.id }, data: { category: c.category, suggestedAction: c.suggestedAction, categoryRuleId: c.categoryRuleId } });
    changed++;
  }
  return changed;
}
