import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { toAlertRuleDto, type TAlertRule } from './alert-rule-dto';
import { visibleRulesWhere } from './require-subject-in-scope';

/** Every rule the actor may see, by name. */
export async function listAlertRules({ actor }: { actor: TActor }): Promise<TAlertRule[]> {
  requirePermission(actor, 'messages:read');
  const rows = await prisma().alertRule.findMany({ where: visibleRulesWhere(actor), orderBy: [{ name: 'asc' }, { createdAt: 'asc' }] });
  return rows.map(toAlertRuleDto);
}
