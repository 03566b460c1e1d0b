import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { userNotFound, userWhere, type TUserRef } from './find-user-for-change';
import { toUserDto, USER_INCLUDE, type TUser } from './user-dto';

export async function getUser({ actor, user: ref }: { actor: TActor; user: TUserRef }): Promise<TUser> {
  requirePermission(actor, 'users:read');
  const row = await prisma().user.findUnique({ where: userWhere(ref), include: USER_INCLUDE });
  if (!row) throw userNotFound(ref);
  return toUserDto(row);
}
