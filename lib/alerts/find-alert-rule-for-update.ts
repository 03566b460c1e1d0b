import { z } from 'zod';
import type { TActor } from '../actor';
import type { AlertRule, Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { toAlertRuleDto, type TSubjectKind } from './alert-rule-dto';
import { isSubjectVisible } from './require-subject-in-scope';

const ZId = z.uuid();

/**
 * Locks the rule for a change. NOT_FOUND when there is none, or when it is outside the
 * actor's team scope (checked before the version: a conflict answers with the whole rule,
 * which a scoped actor must not read by sending a wrong version); CONFLICT when it changed
 * since `version` was read.
 */
export async function findAlertRuleForUpdate(tx: Prisma.TransactionClient, actor: TActor, id: string, version: number): Promise<AlertRule> {
  const notFound = () => new AppError('NOT_FOUND', `No alert rule with id ${id}`);
  if (!ZId.safeParse(id).success) throw notFound();
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alert_rules WHERE id = ${id}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound();
  const row = await tx.alertRule.findUniqueOrThrow({ where: { id } });
  if (!isSubjectVisible(actor, row.subjectKind as TSubjectKind, row.subject)) throw notFound();
  if (row.version !== version) {
    throw new AppError('CONFLICT', `Alert rule "${row.name}" changed since you read it (version ${version}, now ${row.version}); reload and try again`, { current: { version: row.version, rule: toAlertRuleDto(row) } });
  }
  return row;
}
