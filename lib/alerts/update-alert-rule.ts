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

export const WEBHOOK_CHANGED = "the rule's webhook changed before delivery";

/**
 * Changes the fields given, if the rule is still at `version`. A null webhookUrl removes the
 * webhook (and its secret); an omitted one keeps it. Disabling a rule resolves its open
 * alerts at the worker's next round. A change to the webhook (URL, format or secret) gives up
 * the rule's notifications not yet delivered (failed, "the rule's webhook changed before
 * delivery"). A change that changes nothing is not recorded.
 */
export async function updateAlertRule({ actor, id, changes }: { actor: TActor; id: string; changes: TAlertRuleUpdate }): Promise<TAlertRule> {
  requirePermission(actor, 'alerts:manage');
  const { version, ...update } = parseInput(ZAlertRuleUpdate, changes);
  return prisma().$transaction(async (tx) => {
    const before = await findAlertRuleForUpdate(tx, actor, id, version);
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
    requireSubjectInScope(actor, merged.subjectKind, merged.subject);
    const { id: _id, createdBy: _b, createdAt: _c, updatedAt: _u, version: _v, evaluatedAt: _e, ...current } = before;
    if (isDeepStrictEqual(merged, current)) return toAlertRuleDto(before);
    const row = await tx.alertRule.update({ where: { id }, data: { ...merged, version: { increment: 1 } } });
    const webhookChanged = merged.webhookUrl !== before.webhookUrl || merged.webhookFormat !== before.webhookFormat || merged.webhookSecret !== before.webhookSecret;
    if (webhookChanged) {
      // A queued notification carries the old URL and a payload in the old format; sent now it
      // would go where the operator no longer wants it, or be signed with the new secret (or
      // none). It is given up, visibly; the next firing or resolution goes to the new webhook.
      // A deliverer mid-POST holds a lease and records nothing once the row is no longer pending.
      await tx.$executeRaw`
        UPDATE alert_notifications SET state = 'failed', last_error = ${WEBHOOK_CHANGED}, lease_until = NULL
        WHERE state = 'pending' AND alert_id IN (SELECT a.id FROM alerts a WHERE a.rule_id = ${id}::uuid)`;
    }
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: ALERT_AUDIT.ruleUpdated, subject: `alert_rule:${id}`, before: toAlertRuleAudit(before), after: toAlertRuleAudit(row) });
    return toAlertRuleDto(row);
  }, AUDITED_TRANSACTION);
}
