import { randomUUID } from 'node:crypto';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { ALERT_AUDIT } from './alert-audit-actions';
import { toAlertRuleAudit, toAlertRuleDto, ZAlertRuleInput, type TAlertRule, type TAlertRuleFields } from './alert-rule-dto';
import { requireSubjectInScope } from './require-subject-in-scope';

/** Adds an alert rule; the worker evaluates it from its next round. */
export async function createAlertRule({ actor, rule }: { actor: TActor; rule: TAlertRuleFields }): Promise<TAlertRule> {
  requirePermission(actor, 'alerts:manage');
  const input = parseInput(ZAlertRuleInput, rule);
  requireSubjectInScope(actor, input.subjectKind, input.subject);
  return prisma().$transaction(async (tx) => {
    const row = await tx.alertRule.create({ data: { id: randomUUID(), ...input, createdBy: actorLabel(actor) } });
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: ALERT_AUDIT.ruleCreated, subject: `alert_rule:${row.id}`, after: toAlertRuleAudit(row) });
    return toAlertRuleDto(row);
  }, AUDITED_TRANSACTION);
}
