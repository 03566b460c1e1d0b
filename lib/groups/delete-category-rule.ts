import { actorLabel, type TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { toCategoryRuleAudit, toCategoryRuleDto, type TCategoryRuleDto } from './category-rule-dto';
import { recordGroupsAuditEvent } from './groups-audit';
import { lockCategories, recategoriseGroups } from './recategorise-groups';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Removes a rule and recomputes every group's category in the same transaction. Returns it as it was. */
export async function deleteCategoryRule({ actor, id }: { actor: TActor; id: string }): Promise<{ rule: TCategoryRuleDto; groupsChanged: number }> {
  requirePermission(actor, 'settings:manage');
  const notFound = () => new AppError('NOT_FOUND', `No category rule with id ${JSON.stringify(id.slice(0, 40))}`);
  if (!UUID.test(id)) throw notFound();
  return prisma().$transaction(async (tx) => {
    await lockCategories(tx);
    const row = await tx.failureCategoryRule.findUnique({ where: { id } });
    if (!row || (await tx.failureCategoryRule.deleteMany({ where: { id } })).count === 0) throw notFound();
    await tx.failureCategoryRule.updateMany({ where: { position: { gt: row.position } }, data: { position: { decrement: 1 } } });
    const rule = toCategoryRuleDto(row);
    const groupsChanged = await recategoriseGroups(tx);
    await recordGroupsAuditEvent(tx, {
      actor: actorLabel(actor), action: 'category_rule.deleted', subject: `category_rule:${rule.id}`,
      before: toCategoryRuleAudit(rule), after: { groupsChanged },
    });
    return { rule, groupsChanged };
  }, AUDITED_TRANSACTION);
}
