import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { canActor } from '../permissions/require-permission';
import { toRedactionRuleDto, type TRedactionRule } from './redaction-rule-dto';

/** Every rule, oldest first. Admins manage them; auditors read them to know what others cannot see. */
export async function listRedactionRules({ actor }: { actor: TActor }): Promise<TRedactionRule[]> {
  if (!canActor(actor, 'redaction:manage') && !canActor(actor, 'audit:read')) {
    throw new AppError('FORBIDDEN', 'This needs the redaction:manage or audit:read permission');
  }
  const rows = await prisma().redactionRule.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return rows.map(toRedactionRuleDto);
}
