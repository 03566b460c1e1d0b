// Permissions are data: a list of names and a table of roles. Route handlers check
// them through withOperator(); domain functions check again with the actor.

export const PERMISSIONS = [
  'messages:read',
  'messages:edit',
  'messages:replay',
  'messages:redirect',
  'messages:discard',
  'sources:read',
  'sources:manage',
  'teams:read',
  'teams:manage',
  'sandboxes:manage',
  'contracts:manage',
  'audit:read',
  'users:manage',
  'tokens:manage',
] as const;
export type TPermission = (typeof PERMISSIONS)[number];

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<TRole, readonly TPermission[]> = {
  viewer: ['messages:read', 'sources:read', 'teams:read', 'audit:read'],
  operator: [
    'messages:read', 'messages:edit', 'messages:replay', 'messages:redirect', 'messages:discard',
    'sources:read', 'teams:read', 'audit:read',
  ],
  admin: PERMISSIONS,
};

export function isRole(value: string): value is TRole {
  return (ROLES as readonly string[]).includes(value);
}
