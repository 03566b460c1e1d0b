import type { AlertRule, Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { toAlertRuleDto } from './alert-rule-dto';

/** Locks the rule for a change; NOT_FOUND when there is none, CONFLICT when it changed since `version` was read. */
export async function findAlertRuleForUpdate(tx: Prisma.TransactionClient, id: string, version: number): Promise<AlertRule> {
  const rows = /^[0-9a-f-]{36}$/i.test(id) ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alert_rules WHERE id = ${id}::uuid FOR UPDATE` : [];
  if (rows.length === 0) throw new AppError('NOT_FOUND', `No alert rule with id ${id}`);
  const row = await tx.alertRule.findUniqueOrThrow({ where: { id } });
  if (row.version !== version) {
    throw new AppError('CONFLICT', `Alert rule "${row.name}" changed since you read it (version ${version}, now ${row.version}); reload and try again`, { current: { version: row.version, rule: toAlertRuleDto(row) } });
  }
  return row;
}
