import { randomUUID } from 'node:crypto';
import { actorLabel, type TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { toCategoryRuleAudit, toCategoryRuleDto, ZCategoryRuleInput, type TCategoryRuleDto, type TCategoryRuleInput } from './category-rule-dto';
import { recordGroupsAuditEvent } from './groups-audit';
import { lockCategories, recategoriseGroups } from './recategorise-groups';

/**
 * Adds a rule at `position` (later rules move down one), or last. Every group's category
 * is recomputed in the same transaction, so the list never shows a category the rules no
 * longer give.
 */
export async function createCategoryRule({ actor, ...input }: { actor: TActor } & TCategoryRuleInput): Promise<{ rule: TCategoryRuleDto; groupsChanged: number }> {
  requirePermission(actor, 'settings:manage');
  const { field, pattern, category, suggestedAction, position } = parseInput(ZCategoryRuleInput, input);
  return prisma().$transaction(async (tx) => {
    await lockCategories(tx);
    const last = (await tx.failureCategoryRule.aggregate({ _max: { position: true } }))._max.position ?? 0;
    const at = position === undefined || position > last ? last + 1 : position;
    if (at <= last) await tx.failureCategoryRule.updateMany({ where: { position: { gte: at } }, data: { position: { increment: 1 } } });
    const rule = toCategoryRuleDto(await tx.failureCategoryRule.create({
      data: { id: randomUUID(), position: at, field, pattern, category, suggestedAction: suggestedAction ?? null, createdBy: actorLabel(actor) },
    }));
    const groupsChanged = await recategoriseGroups(tx);
    await recordGroupsAuditEvent(tx, {
      actor: actorLabel(actor), action: 'category_rule.created', subject: `category_rule:${rule.id}`,
      after: { ...toCategoryRuleAudit(rule), groupsChanged },
    });
    return { rule, groupsChanged };
  }, AUDITED_TRANSACTION);
}
