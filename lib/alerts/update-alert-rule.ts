import { isDeepStrictEqual } from 'node:util';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { ALERT_AUDIT } from './alert-audit-actions';
import { toAlertRuleAudit, toAlertRuleDto, ZAlertRuleInput, ZAlertRuleUpdate, type TAlertRule, type TAlertRuleUpdate } from './alert-rule-dto';
import { findAlertRuleForUpdate } from './find-alert-rule-for-update';
import { requireSubjectInScope } from './require-subject-in-scope';

/**
 * Changes the fields given, if the rule is still at `version`. A null webhookUrl removes the
 * webhook (and its secret); an omitted one keeps it. Disabling a rule resolves its open
 * alerts at the worker's next round. A change that changes nothing is not recorded.
 */
export async function updateAlertRule({ actor, id, changes }: { actor: TActor; id: string; changes: TAlertRuleUpdate }): Promise<TAlertRule> {
  requirePermission(actor, 'alerts:manage');
  const { version, ...update } = parseInput(ZAlertRuleUpdate, changes);
  return prisma().$transaction(async (tx) => {
    const before = await findAlertRuleForUpdate(tx, id, version);
    requireSubjectInScope(actor, before.subject);
    const webhookUrl = update.webhookUrl !== undefined ? update.webhookUrl || null : before.webhookUrl;
    const merged = parseInput(ZAlertRuleInput, {
      name: update.name ?? before.name,
      subjectKind: update.subjectKind ?? before.subjectKind,
      subject: update.subject ?? before.subject,
      metric: update.metric ?? before.metric,
      comparison: update.comparison ?? before.comparison,
      threshold: update.threshold ?? before.threshold,
      minValue: update.minValue ?? before.minValue,
      windowMinutes: update.windowMinutes ?? before.windowMinutes,
      forMinutes: update.forMinutes ?? before.forMinutes,
      webhookUrl,
      webhookFormat: update.webhookFormat ?? before.webhookFormat,
      webhookSecret: webhookUrl === null ? null : update.webhookSecret !== undefined ? update.webhookSecret : before.webhookSecret,
      enabled: update.enabled ?? before.enabled,
    });
    requireSubjectInScope(actor, merged.subject);
    const { id: _id, createdBy: _b, createdAt: _c, updatedAt: _u, version: _v, ...current } = before;
    if (isDeepStrictEqual(merged, current)) return toAlertRuleDto(before);
    const row = await tx.alertRule.update({ where: { id }, data: { ...merged, version: { increment: 1 } } });
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: ALERT_AUDIT.ruleUpdated, subject: `alert_rule:${id}`, before: toAlertRuleAudit(before), after: toAlertRuleAudit(row) });
    return toAlertRuleDto(row);
  }, AUDITED_TRANSACTION);
}
