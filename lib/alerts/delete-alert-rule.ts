import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { ALERT_AUDIT } from './alert-audit-actions';
import { toAlertRuleAudit, toAlertRuleDto, ZAlertRuleDelete, type TAlertRule } from './alert-rule-dto';
import { findAlertRuleForUpdate } from './find-alert-rule-for-update';

/**
 * Deletes a rule at `version`, with its alerts and their unsent notifications (the foreign
 * keys cascade): nothing more is sent for it. The audit trail keeps what it was.
 */
export async function deleteAlertRule({ actor, id, version }: { actor: TActor; id: string; version: number }): Promise<TAlertRule> {
  requirePermission(actor, 'alerts:manage');
  parseInput(ZAlertRuleDelete, { version });
  return prisma().$transaction(async (tx) => {
    const row = await findAlertRuleForUpdate(tx, actor, id, version);
    await tx.alertRule.delete({ where: { id } });
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: ALERT_AUDIT.ruleDeleted, subject: `alert_rule:${id}`, before: toAlertRuleAudit(row) });
    return toAlertRuleDto(row);
  }, AUDITED_TRANSACTION);
}
