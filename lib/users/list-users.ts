import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { toUserDto, USER_INCLUDE, type TUser } from './user-dto';

/** Every user by email, with their teams; password hashes are never read. */
export async function listUsers({ actor }: { actor: TActor }): Promise<TUser[]> {
  requirePermission(actor, 'users:read');
  const rows = await prisma().user.findMany({ orderBy: { email: 'asc' }, include: USER_INCLUDE });
  return rows.map(toUserDto);
}
