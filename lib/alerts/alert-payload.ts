import { createHmac } from 'node:crypto';
import type { TComparison, TMetric, TSubjectKind, TWebhookFormat } from './alert-rule-dto';

// What a webhook receives. The generic JSON payload is versioned (PAYLOAD_VERSION): a field
// is only ever added. Slack's incoming webhooks take { text, blocks } with mrkdwn.

export const PAYLOAD_VERSION = 1;
export type TAlertEvent = 'firing' | 'resolved';

export type TAlertNotice = {
  event: TAlertEvent;
  alertId: string;
  rule: { id: string; name: string };
  subjectKind: TSubjectKind;
  subject: string;
  metric: TMetric;
  comparison: TComparison;
  threshold: number;
  value: number;
  baseline: number | null;
  limit: number;
  windowMinutes: number;
  firedAt: Date;
  resolvedAt: Date | null;
  /** The console's messages list filtered to the subject; null when the console URL is not configured. */
  link: string | null;
};

export type TJsonPayload = ReturnType<typeof buildJsonPayload>;

/** The same on every retry of a notification, so a receiver can drop a repeat. */
export function deliveryIdOf(alertId: string, event: TAlertEvent): string {
  return `${alertId}:${event}`;
}

export function buildJsonPayload(n: TAlertNotice) {
  return {
    version: PAYLOAD_VERSION,
    event: n.event,
    deliveryId: deliveryIdOf(n.alertId, n.event),
    alertId: n.alertId,
    rule: n.rule,
    subjectKind: n.subjectKind,
    subject: n.subject,
    metric: n.metric,
    comparison: n.comparison,
    threshold: n.threshold,
    value: round(n.value),
    baseline: n.baseline === null ? null : round(n.baseline),
    limit: round(n.limit),
    windowMinutes: n.windowMinutes,
    firedAt: n.firedAt.toISOString(),
    resolvedAt: n.resolvedAt?.toISOString() ?? null,
    link: n.link,
    summary: summarize(n),
  };
}

/** Slack (and compatible: Mattermost, Rocket.Chat) incoming-webhook message. */
export function buildSlackPayload(n: TAlertNotice) {
  const head = n.event === 'firing' ? `:rotating_light: *Firing*: ${escapeSlack(n.rule.name)}` : `:white_check_mark: *Resolved*: ${escapeSlack(n.rule.name)}`;
  const body = escapeSlack(summarize(n));
  const link = n.link ? ` <${n.link}|View messages>` : '';
  const text = `${head}\n${body}${link}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Alert ${n.alertId} · fired ${n.firedAt.toISOString()}${n.resolvedAt ? ` · resolved ${n.resolvedAt.toISOString()}` : ''}` }] },
    ],
  };
}

export function buildPayload(format: TWebhookFormat, n: TAlertNotice) {
  return format === 'slack' ? buildSlackPayload(n) : buildJsonPayload(n);
}

/** "inflow of source orders.dlq is 12.4/min (limit 10, baseline 2.5)". */
export function summarize(n: Pick<TAlertNotice, 'event' | 'metric' | 'subjectKind' | 'subject' | 'value' | 'limit' | 'baseline' | 'windowMinutes'>): string {
  const unit = n.metric === 'inflow' ? '/min' : '';
  const what = n.metric === 'inflow' ? `inflow of ${n.subjectKind} ${n.subject} (over ${n.windowMinutes} min)` : `unresolved messages of ${n.subjectKind} ${n.subject}`;
  const baseline = n.baseline === null ? '' : `, baseline ${round(n.baseline)}${unit}`;
  const verb = n.event === 'firing' ? 'is' : 'is back to';
  return `${what} ${verb} ${round(n.value)}${unit} (limit ${round(n.limit)}${unit}${baseline})`;
}

/** X-DLQ-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the rule's secret>. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The messages list filtered to the alert's subject (its ?source= / ?origin= parameters). */
export function messagesLink(base: string | undefined, subjectKind: TSubjectKind, subject: string): string | null {
  if (!base) return null;
  return `${base.replace(/\/+$/, '')}/messages?${new URLSearchParams({ [subjectKind]: subject }).toString()}`;
}
