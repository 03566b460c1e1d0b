import type { TAuditAction } from '../audit/record-audit-event';

// The audit actions of alert rules and alerts, named once for this feature's files.

const action = (name: TAuditAction) => name;

export const ALERT_AUDIT = {
  ruleCreated: action('alert_rule.created'),
  ruleUpdated: action('alert_rule.updated'),
  ruleDeleted: action('alert_rule.deleted'),
  fired: action('alert.fired'),
  resolved: action('alert.resolved'),
  notificationFailed: action('alert.notification_failed'),
} as const;
