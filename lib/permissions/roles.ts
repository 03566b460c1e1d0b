// Permissions are data: a list of names and a table of roles. Route handlers check
// them through withOperator(); domain functions check again with the actor.

export const PERMISSIONS = [
  'messages:read',
  /** See values that redaction rules mask (lib/redaction) in clear. */
  'messages:read-sensitive',
  'messages:edit',
  'messages:replay',
  'messages:redirect',
  'messages:discard',
  'sources:read',
  'sources:manage',
  'teams:read',
  'teams:manage',
  /** Set which team owns which queues, and who is in a team. */
  'teams:ownership',
  'sandboxes:manage',
  'contracts:manage',
  'audit:read',
  'audit:export',
  'audit:verify',
  'users:read',
  'users:manage',
  'tokens:manage',
  'redaction:manage',
  'settings:manage',
  /** Create, change and delete alert rules and their webhooks. */
  'alerts:manage',
] as const;
export type TPermission = (typeof PERMISSIONS)[number];

export const ROLES = ['viewer', 'operator', 'support_lead', 'auditor', 'admin'] as const;
export type TRole = (typeof ROLES)[number];

const READ: readonly TPermission[] = ['messages:read', 'sources:read', 'teams:read'];

export const ROLE_PERMISSIONS: Record<TRole, readonly TPermission[]> = {
  /** Looks, touches nothing. */
  viewer: READ,
  /** On call: fixes and replays what died, or throws it away. */
  operator: [...READ, 'messages:edit', 'messages:replay', 'messages:discard', 'alerts:manage'],
  /** Routes messages to the team that owns them, and keeps ownership current. */
  support_lead: [...READ, 'messages:redirect', 'teams:ownership'],
  /** Reads everything, including the audit record and sensitive values; changes nothing. */
  auditor: [...READ, 'messages:read-sensitive', 'audit:read', 'audit:export', 'audit:verify', 'users:read'],
  admin: PERMISSIONS,
};

export const ROLE_LABELS: Record<TRole, string> = {
  viewer: 'Viewer',
  operator: 'Operator',
  support_lead: 'Support lead',
  auditor: 'Auditor',
  admin: 'Admin',
};

export function isRole(value: string): value is TRole {
  return (ROLES as readonly string[]).includes(value);
}
