// Permissions are data: a list of names and a table of roles. Route handlers check
// them through withOperator(); domain functions check again with the actor.

export const PERMISSIONS = [
  'messages:read',
  'sources:read',
  'sources:manage',
  'users:manage',
  'tokens:manage',
] as const;
export type TPermission = (typeof PERMISSIONS)[number];

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<TRole, readonly TPermission[]> = {
  viewer: ['messages:read', 'sources:read'],
  operator: ['messages:read', 'sources:read'],
  admin: PERMISSIONS,
};

export function isRole(value: string): value is TRole {
  return (ROLES as readonly string[]).includes(value);
}
