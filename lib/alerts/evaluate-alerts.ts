import { randomUUID } from 'node:crypto';
import { recordAuditEvent, type TAuditEventInput } from '../audit/record-audit-event';
import type { Alert, AlertRule, Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { log } from '../log';
import { ALERT_AUDIT } from './alert-audit-actions';
import { buildPayload, deliveryIdOf, messagesLink, type TAlertEvent } from './alert-payload';
import type { TComparison, TMetric, TSubjectKind, TWebhookFormat } from './alert-rule-dto';
import { evaluateCondition, nextTransition, type TAlertState } from './evaluate-condition';
import { measureBaselines, measureRule, type TMeasure } from './measure-rule';

type TTx = Prisma.TransactionClient;
export type TEvaluation = { rules: number; opened: number; fired: number; resolved: number; failed: number };
export type TEvaluateOptions = {
  /** The evaluation time; tests inject it. Without it each rule uses the database's clock (now()). */
  now?: Date;
  consoleUrl?: string;
  /** DLQ_ALERT_INTERVAL_MS: a rule another replica evaluated less than this ago is skipped. */
  intervalMs?: number;
  /** At most this many of a rule's subjects change state (open, fire, resolve) per round; the rest wait for the next. */
  maxChangesPerRule?: number;
};

const WORKER = 'system:worker';
export const MAX_CHANGES_PER_RULE = 100;

/**
 * One round of the alert evaluator: every enabled rule, and every disabled one that still
 * has open alerts. Each rule is evaluated in a transaction that holds its row (FOR UPDATE
 * SKIP LOCKED): a replica that finds it taken leaves it to the one that has it, and one that
 * finds it evaluated less than an interval ago (evaluated_at, on the database clock) leaves
 * it too, so replicas do not repeat each other one after another. The alert row, its webhook
 * notification (outbox) and the audit event commit together, and the partial unique index
 * keeps one open episode per rule and subject, so a firing is notified once whichever
 * replica sees it. A rule that fails is logged and skipped: it never starves the rules after
 * it. A '*' rule changes at most maxChangesPerRule subjects per round, which keeps its
 * transaction small on a broker with thousands of queues.
 */
export async function evaluateAlerts({ now, consoleUrl, intervalMs = 0, maxChangesPerRule = MAX_CHANGES_PER_RULE }: TEvaluateOptions = {}): Promise<TEvaluation> {
  const ids = await prisma().$queryRaw<{ id: string }[]>`
    SELECT r.id FROM alert_rules r
    WHERE r.enabled OR EXISTS (SELECT 1 FROM alerts a WHERE a.rule_id = r.id AND a.state <> 'resolved')
    ORDER BY r.id`;
  const total: TEvaluation = { rules: 0, opened: 0, fired: 0, resolved: 0, failed: 0 };
  for (const { id } of ids) {
    let result: Awaited<ReturnType<typeof evaluateRule>>;
    try {
      result = await prisma().$transaction((tx) => evaluateRule(tx, id, { now, consoleUrl, intervalMs, maxChangesPerRule }), AUDITED_TRANSACTION);
    } catch (error) {
      total.failed += 1;
      log.error('alerts: evaluating a rule failed; going on with the next', { ruleId: id, error: error instanceof Error ? error.message.slice(0, 300) : String(error) });
      continue;
    }
    if (!result) continue;
    total.rules += 1;
    total.opened += result.opened;
    total.fired += result.fired;
    total.resolved += result.resolved;
  }
  return total;
}

type TRuleOptions = { now: Date | undefined; consoleUrl: string | undefined; intervalMs: number; maxChangesPerRule: number };

async function evaluateRule(tx: TTx, id: string, options: TRuleOptions): Promise<Omit<TEvaluation, 'rules' | 'failed'> | null> {
  const { consoleUrl } = options;
  const locked = await tx.$queryRaw<{ id: string; evaluated_at: Date | null; db_now: Date }[]>`
    SELECT id, evaluated_at, now() AS db_now FROM alert_rules WHERE id = ${id}::uuid FOR UPDATE SKIP LOCKED`;
  if (locked.length === 0) return null;
  // One clock for every replica: the database's, unless a test injects the time.
  const now = options.now ?? locked[0]!.db_now;
  const last = locked[0]!.evaluated_at;
  // A tenth of the interval of slack, so a replica's own timer jitter does not skip every other round.
  if (last && options.intervalMs > 0 && now.getTime() - last.getTime() < options.intervalMs * 0.9) return null;
  await tx.$executeRaw`UPDATE alert_rules SET evaluated_at = ${now} WHERE id = ${id}::uuid`;
  const rule = await tx.alertRule.findUniqueOrThrow({ where: { id } });
  const open = await tx.alert.findMany({ where: { ruleId: id, state: { not: 'resolved' } } });
  const counts = { opened: 0, fired: 0, resolved: 0 };
  const audits: TAuditEventInput[] = [];
  const openBySubject = new Map(open.map((a) => [a.subject, a]));
  let budget = options.maxChangesPerRule;

  // Disabled, or the rule now watches another queue: its open episodes end.
  const stale = open.filter((a) => !rule.enabled || (rule.subject !== '*' && a.subject !== rule.subject));
  for (const alert of stale) {
    openBySubject.delete(alert.subject);
    if (budget <= 0) continue;
    budget -= 1;
    const fired = alert.state === 'firing';
    await resolve(tx, rule, alert, { value: alert.value, baseline: alert.baseline, limit: alert.limitValue }, now, consoleUrl, fired, audits);
    counts.resolved += Number(fired);
  }
  if (rule.enabled) {
    const kind = rule.subjectKind as TSubjectKind;
    const measures = await measureRule(tx, { subjectKind: kind, subject: rule.subject, metric: rule.metric as TMetric, windowMinutes: rule.windowMinutes }, now);
    const subjects = rule.subject === '*' ? [...new Set([...measures.keys(), ...openBySubject.keys()])] : [rule.subject];
    const baselines = rule.comparison === 'baseline' ? await measureBaselines(tx, { subjectKind: kind, windowMinutes: rule.windowMinutes }, subjects, now) : null;
    for (const subject of subjects.sort()) {
      const measure: TMeasure = { value: measures.get(subject)?.value ?? 0, baseline: baselines ? baselines.get(subject) ?? null : null };
      const condition = evaluateCondition({ comparison: rule.comparison as TComparison, threshold: rule.threshold, minValue: rule.minValue, ...measure });
      const reading = { ...measure, limit: condition.limit };
      const alert = openBySubject.get(subject) ?? null;
      const step = nextTransition({ open: alert && { state: alert.state as TAlertState, pendingSince: alert.pendingSince }, breached: condition.breached, forMinutes: rule.forMinutes, now });
      // Over budget: the change waits for the next round (an open alert keeps its last reading meanwhile).
      if (step.kind === 'open' || step.kind === 'fire' || step.kind === 'resolve') {
        if (budget <= 0) continue;
        budget -= 1;
      }
      switch (step.kind) {
        case 'none':
          break;
        case 'open': {
          const firing = step.state === 'firing';
          const row = await tx.alert.create({
            data: { id: randomUUID(), ruleId: rule.id, subject, state: step.state, value: reading.value, baseline: reading.baseline, limitValue: reading.limit, pendingSince: now, firedAt: firing ? now : null, evaluatedAt: now },
          });
          counts.opened += 1;
          if (firing) {
            await notify(tx, rule, row, 'firing', consoleUrl, audits);
            counts.fired += 1;
          }
          break;
        }
        case 'fire': {
          const row = await tx.alert.update({ where: { id: alert!.id }, data: { state: 'firing', firedAt: now, value: reading.value, baseline: reading.baseline, limitValue: reading.limit, evaluatedAt: now } });
          await notify(tx, rule, row, 'firing', consoleUrl, audits);
          counts.fired += 1;
          break;
        }
        case 'update':
          await tx.alert.update({ where: { id: alert!.id }, data: { value: reading.value, baseline: reading.baseline, limitValue: reading.limit, evaluatedAt: now } });
          break;
        case 'resolve':
          await resolve(tx, rule, alert!, reading, now, consoleUrl, step.notify, audits);
          counts.resolved += Number(step.notify);
          break;
      }
    }
  }
  // The audit events last, just before commit: they serialise on the chain head.
  for (const event of audits) await recordAuditEvent(tx, event);
  return counts;
}

async function resolve(tx: TTx, rule: AlertRule, alert: Alert, reading: { value: number; baseline: number | null; limit: number }, now: Date, consoleUrl: string | undefined, wasFiring: boolean, audits: TAuditEventInput[]) {
  const row = await tx.alert.update({
    where: { id: alert.id },
    data: { state: 'resolved', resolvedAt: now, value: reading.value, baseline: reading.baseline, limitValue: reading.limit, evaluatedAt: now },
  });
  // A pending episode that clears never fired: nobody was told, so nobody is told it ended.
  if (wasFiring) await notify(tx, rule, row, 'resolved', consoleUrl, audits);
}

/** Queues the webhook notification (when the rule has a webhook) and the audit event of a firing or a resolution. */
async function notify(tx: TTx, rule: AlertRule, alert: Alert, event: TAlertEvent, consoleUrl: string | undefined, audits: TAuditEventInput[]) {
  const kind = rule.subjectKind as TSubjectKind;
  const notice = {
    event, alertId: alert.id, rule: { id: rule.id, name: rule.name }, subjectKind: kind, subject: alert.subject, metric: rule.metric as TMetric,
    comparison: rule.comparison as TComparison, threshold: rule.threshold, value: alert.value, baseline: alert.baseline, limit: alert.limitValue,
    windowMinutes: rule.windowMinutes, firedAt: alert.firedAt ?? alert.pendingSince, resolvedAt: alert.resolvedAt, link: messagesLink(consoleUrl, kind, alert.subject),
  };
  if (rule.webhookUrl) {
    await tx.alertNotification.create({
      data: { alertId: alert.id, event, url: rule.webhookUrl, format: rule.webhookFormat, payload: buildPayload(rule.webhookFormat as TWebhookFormat, notice) },
    });
  }
  audits.push({
    actor: WORKER,
    action: event === 'firing' ? ALERT_AUDIT.fired : ALERT_AUDIT.resolved,
    subject: `alert:${alert.id}`,
    after: {
      rule: { id: rule.id, name: rule.name }, subjectKind: kind, subject: alert.subject, metric: rule.metric, comparison: rule.comparison,
      value: alert.value, baseline: alert.baseline, limit: alert.limitValue, firedAt: notice.firedAt.toISOString(),
      resolvedAt: alert.resolvedAt?.toISOString() ?? null, deliveryId: rule.webhookUrl ? deliveryIdOf(alert.id, event) : null,
    },
    sourceQueue: kind === 'source' ? alert.subject : null,
    originQueue: kind === 'origin' ? alert.subject : null,
  });
}
