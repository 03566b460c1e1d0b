import type { TAuditAction } from '../audit/record-audit-event';

// The audit actions of ownership rules and retention, named once for this feature's files.

const action = (name: TAuditAction) => name;

export const OWNERSHIP_AUDIT = {
  created: action('ownership_rule.created'),
  updated: action('ownership_rule.updated'),
  deleted: action('ownership_rule.deleted'),
  reordered: action('ownership_rule.reordered'),
} as const;

export const RETENTION_AUDIT = {
  set: action('retention_policy.set'),
  removed: action('retention_policy.removed'),
  purged: action('retention.purged'),
} as const;
