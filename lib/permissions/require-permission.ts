import type { TActor } from '../actor';
import { AppError } from '../errors';
import { ROLE_PERMISSIONS, type TPermission } from './roles';

export function canActor(actor: TActor, permission: TPermission): boolean {
  // The worker and the CLI run with the operator's shell access to the database already.
  if (actor.kind === 'system') return true;
  return ROLE_PERMISSIONS[actor.role].includes(permission);
}

export function requirePermission(actor: TActor, permission: TPermission): void {
  if (!canActor(actor, permission)) {
    throw new AppError('FORBIDDEN', `This needs the ${permission} permission`);
  }
}
