import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { canActor } from '../permissions/require-permission';
import { builtInRuleDtos, toCategoryRuleDto, type TBuiltInRuleDto, type TCategoryRuleDto } from './category-rule-dto';

/** The admin rules in the order they are checked, then the built-in ones. Admins manage them; auditors read them. */
export async function listCategoryRules({ actor }: { actor: TActor }): Promise<{ items: TCategoryRuleDto[]; builtIn: TBuiltInRuleDto[] }> {
  if (!canActor(actor, 'settings:manage') && !canActor(actor, 'audit:read')) {
    throw new AppError('FORBIDDEN', 'This needs the settings:manage or audit:read permission');
  }
  const rows = await prisma().failureCategoryRule.findMany({ orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] });
  return { items: rows.map(toCategoryRuleDto), builtIn: builtInRuleDtos() };
}
