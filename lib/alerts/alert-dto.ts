import type { Alert, AlertNotification, AlertRule } from '../db/generated/client';
import type { TAlertEvent } from './alert-payload';
import type { TComparison, TMetric, TSubjectKind } from './alert-rule-dto';

export type TAlertNotificationState = {
  event: TAlertEvent;
  /** 'pending' with attempts > 0 is retrying. */
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
};

export type TAlert = {
  id: string;
  ruleId: string;
  ruleName: string;
  subjectKind: TSubjectKind;
  subject: string;
  metric: TMetric;
  comparison: TComparison;
  windowMinutes: number;
  forMinutes: number;
  state: 'pending' | 'firing' | 'resolved';
  value: number;
  baseline: number | null;
  limit: number;
  pendingSince: string;
  firedAt: string | null;
  resolvedAt: string | null;
  evaluatedAt: string;
  /** The console's messages list filtered to the subject. */
  link: string;
  notifications: TAlertNotificationState[];
};

export type TAlertRow = Alert & {
  rule: Pick<AlertRule, 'name' | 'subjectKind' | 'metric' | 'comparison' | 'windowMinutes' | 'forMinutes'>;
  notifications: Pick<AlertNotification, 'event' | 'state' | 'attempts' | 'lastStatus' | 'lastError' | 'nextAttemptAt' | 'sentAt'>[];
};

export function toAlertDto(row: TAlertRow): TAlert {
  const kind = row.rule.subjectKind as TSubjectKind;
  return {
    id: row.id, ruleId: row.ruleId, ruleName: row.rule.name, subjectKind: kind, subject: row.subject, metric: row.rule.metric as TMetric,
    comparison: row.rule.comparison as TComparison, windowMinutes: row.rule.windowMinutes, forMinutes: row.rule.forMinutes,
    state: row.state as TAlert['state'], value: row.value, baseline: row.baseline, limit: row.limitValue,
    pendingSince: row.pendingSince.toISOString(), firedAt: row.firedAt?.toISOString() ?? null, resolvedAt: row.resolvedAt?.toISOString() ?? null,
    evaluatedAt: row.evaluatedAt.toISOString(), link: `/messages?${new URLSearchParams({ [kind]: row.subject }).toString()}`,
    notifications: row.notifications
      .sort((a, b) => (a.event === b.event ? 0 : a.event === 'firing' ? -1 : 1))
      .map((n) => ({
        event: n.event as TAlertEvent, state: n.state as TAlertNotificationState['state'], attempts: n.attempts, lastStatus: n.lastStatus,
        lastError: n.lastError, nextAttemptAt: n.state === 'pending' ? n.nextAttemptAt.toISOString() : null, sentAt: n.sentAt?.toISOString() ?? null,
      })),
  };
}
