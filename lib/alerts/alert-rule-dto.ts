import { z } from 'zod';
import type { AlertRule } from '../db/generated/client';
import { hasControlCharacters } from '../validation/text';

// An alert rule watches one metric of a source queue or an origin queue ('*': each queue
// separately, one alert each) and fires when the metric stays over its limit for forMinutes
// (docs/decisions/0018). Its webhook URL and secret are secrets: a Slack URL embeds a token.

export const SUBJECT_KINDS = ['source', 'origin'] as const;
export const METRICS = ['inflow', 'unresolved'] as const;
export const COMPARISONS = ['above', 'baseline'] as const;
export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type TSubjectKind = (typeof SUBJECT_KINDS)[number];
export type TMetric = (typeof METRICS)[number];
export type TComparison = (typeof COMPARISONS)[number];
export type TWebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const METRIC_LABELS: Record<TMetric, string> = { inflow: 'Inflow (messages/min)', unresolved: 'Unresolved messages' };

const text = (what: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`) })
    .trim()
    .min(1, `${what} is empty`)
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => !hasControlCharacters(s), `${what} contains control characters`);

const minutes = (what: string, min: number) =>
  z.number({ error: `${what} must be a number of minutes` }).int(`${what} must be a whole number of minutes`).min(min, `${what} must be at least ${min}`).max(1440, `${what} must be at most 1440 (a day)`);

/** The problem with a webhook URL, or null. Never echoes the URL: it may hold a token. */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'webhookUrl must be an http(s) URL such as https://hooks.example.com/dlq';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'webhookUrl must be an http(s) URL such as https://hooks.example.com/dlq';
  // Credentials in the authority would be sent as Basic auth and shown masked as if public.
  if (parsed.username || parsed.password) return 'webhookUrl must not contain a user name or password (user:pass@); put a token in the path or sign with webhookSecret';
  return null;
}

const ZWebhookUrl = z
  .string({ error: 'webhookUrl must be a string or null' })
  .trim()
  .max(2000, 'webhookUrl is longer than 2000 characters')
  .superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A rule's fields, as POST /api/v1/alert-rules takes them. */
export const ZAlertRuleFields = z.strictObject({
  name: text('name', 200),
  subjectKind: z.enum(SUBJECT_KINDS, { error: `subjectKind must be one of ${SUBJECT_KINDS.join(', ')}` }),
  subject: text('subject', 255),
  metric: z.enum(METRICS, { error: `metric must be one of ${METRICS.join(', ')}` }),
  comparison: z.enum(COMPARISONS, { error: `comparison must be one of ${COMPARISONS.join(', ')}` }),
  threshold: z.number({ error: 'threshold must be a number' }).positive('threshold must be greater than 0').max(1e9, 'threshold must be at most 1,000,000,000'),
  minValue: z.number({ error: 'minValue must be a number' }).min(0, 'minValue must be 0 or more').max(1e9, 'minValue must be at most 1,000,000,000').optional(),
  windowMinutes: minutes('windowMinutes', 1).optional(),
  forMinutes: minutes('forMinutes', 0).optional(),
  webhookUrl: ZWebhookUrl.nullish(),
  webhookFormat: z.enum(WEBHOOK_FORMATS, { error: `webhookFormat must be one of ${WEBHOOK_FORMATS.join(', ')}` }).optional(),
  webhookSecret: z.string({ error: 'webhookSecret must be a string or null' }).min(8, 'webhookSecret must be at least 8 characters').max(500, 'webhookSecret is longer than 500 characters').nullish(),
  enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
});
export type TAlertRuleFields = z.input<typeof ZAlertRuleFields>;

type TRuleShape = { metric: TMetric; comparison: TComparison; minValue: number; webhookUrl: string | null; webhookSecret: string | null; webhookFormat: TWebhookFormat };

/** What a baseline rule's minValue is when none is given: one message a minute. */
export const BASELINE_MIN_VALUE_DEFAULT = 1;

/** What is wrong with the rule as a whole, or null. */
export function ruleProblem(rule: TRuleShape): string | null {
  if (rule.comparison === 'baseline' && rule.metric === 'unresolved') {
    return 'comparison: baseline needs history, which only the inflow metric has; use comparison "above" for unresolved';
  }
  if (rule.comparison === 'baseline' && rule.minValue <= 0) {
    return 'minValue: a baseline rule needs minValue greater than 0; a queue that was quiet on the previous days has baseline 0, and would fire on its first message';
  }
  if (rule.webhookSecret && !rule.webhookUrl) return 'webhookSecret: a secret signs webhook notifications; give a webhookUrl too';
  return null;
}

export const ZAlertRuleInput = ZAlertRuleFields.transform((r) => ({
  ...r,
  minValue: r.minValue ?? (r.comparison === 'baseline' ? BASELINE_MIN_VALUE_DEFAULT : 0),
  windowMinutes: r.windowMinutes ?? 5,
  forMinutes: r.forMinutes ?? 0,
  webhookUrl: r.webhookUrl || null,
  webhookFormat: r.webhookFormat ?? 'json',
  webhookSecret: r.webhookSecret || null,
  enabled: r.enabled ?? true,
})).superRefine((rule, ctx) => {
  const problem = ruleProblem(rule);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export type TAlertRuleInput = z.output<typeof ZAlertRuleInput>;

const ZVersion = z.number({ error: 'version is required: the version of the rule you read (optimistic locking)' }).int('version must be a whole number');

/** The body of PATCH /api/v1/alert-rules/{id}: the version read, and the fields to change (null clears the webhook or its secret). */
export const ZAlertRuleUpdate = ZAlertRuleFields.partial()
  .extend({ version: ZVersion })
  .refine((u) => Object.entries(u).some(([k, v]) => k !== 'version' && v !== undefined), 'nothing to change: give the fields to change and the version you read');
export type TAlertRuleUpdate = z.input<typeof ZAlertRuleUpdate>;

/** The body of DELETE /api/v1/alert-rules/{id}. */
export const ZAlertRuleDelete = z.strictObject({ version: ZVersion });

export type TAlertRule = {
  id: string;
  name: string;
  subjectKind: TSubjectKind;
  subject: string;
  metric: TMetric;
  comparison: TComparison;
  threshold: number;
  minValue: number;
  windowMinutes: number;
  forMinutes: number;
  /** scheme://host/… only: the full URL is a secret. */
  webhook: string | null;
  webhookFormat: TWebhookFormat;
  hasSecret: boolean;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

/** scheme://host/… : enough to recognise a webhook, never its path or query (a Slack URL's token). */
export function maskWebhookUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '…';
  }
}

/** The host a log line may name. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unparseable-url';
  }
}

export function toAlertRuleDto(row: AlertRule): TAlertRule {
  return {
    id: row.id, name: row.name, subjectKind: row.subjectKind as TSubjectKind, subject: row.subject, metric: row.metric as TMetric,
    comparison: row.comparison as TComparison, threshold: row.threshold, minValue: row.minValue, windowMinutes: row.windowMinutes,
    forMinutes: row.forMinutes, webhook: maskWebhookUrl(row.webhookUrl), webhookFormat: row.webhookFormat as TWebhookFormat,
    hasSecret: row.webhookSecret !== null, enabled: row.enabled, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(), version: row.version,
  };
}

/** The rule as the audit trail keeps it: the webhook masked, the secret only as "set". */
export function toAlertRuleAudit(row: AlertRule) {
  const { id: _id, createdBy: _by, createdAt: _c, updatedAt: _u, ...rest } = toAlertRuleDto(row);
  return rest;
}

/** What a rule says, in a line: "inflow of source orders.dlq > 3 × baseline (at least 10) over 5 min for 2 min". */
export function describeRule(rule: Pick<TAlertRule, 'subjectKind' | 'subject' | 'metric' | 'comparison' | 'threshold' | 'minValue' | 'windowMinutes' | 'forMinutes'>): string {
  const subject = rule.subject === '*' ? `each ${rule.subjectKind}` : `${rule.subjectKind} ${rule.subject}`;
  const limit = rule.comparison === 'above' ? `> ${rule.threshold}` : `> ${rule.threshold} × baseline${rule.minValue > 0 ? ` (and ≥ ${rule.minValue})` : ''}`;
  const metric = rule.metric === 'inflow' ? `inflow/min over ${rule.windowMinutes} min` : 'unresolved';
  return `${metric} of ${subject} ${limit}${rule.forMinutes > 0 ? ` for ${rule.forMinutes} min` : ''}`;
}
