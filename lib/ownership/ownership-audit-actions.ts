import type { TAuditAction } from '../audit/record-audit-event';

// The audit actions of ownership rules and retention. They belong in AUDIT_ACTIONS
// (lib/audit/record-audit-event.ts, owned by the audit feature); until they are listed
// there, the names are declared here once, so the rest of this feature stays typed.

const action = (name: string) => name as TAuditAction;

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
