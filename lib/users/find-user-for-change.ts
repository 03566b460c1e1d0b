import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { UUID } from '../teams/find-team-for-change';
import { toUserDto, USER_INCLUDE, type TUser } from './user-dto';

/** A user chosen by id (the API) or by email (the CLI). */
export type TUserRef = { id: string } | { email: string };

export function userNotFound(ref: TUserRef) {
  return new AppError('NOT_FOUND', 'id' in ref ? `No user with id ${JSON.stringify(ref.id)}` : `No user with email ${JSON.stringify(ref.email)}`);
}

/** The unique key a reference names; a malformed id is NOT_FOUND (asking PostgreSQL would be a cast error, not a 404). */
export function userWhere(ref: TUserRef): { id: string } | { email: string } {
  if ('id' in ref && !UUID.test(ref.id)) throw userNotFound(ref);
  return 'id' in ref ? { id: ref.id } : { email: ref.email.trim().toLowerCase() };
}

/** The user as the transaction sees it now. */
export async function findUser(tx: Prisma.TransactionClient, ref: TUserRef): Promise<TUser> {
  const row = await tx.user.findUnique({ where: userWhere(ref), include: USER_INCLUDE });
  if (!row) throw userNotFound(ref);
  return toUserDto(row);
}

/**
 * Finds a user and locks its row for the rest of the transaction, so the "before" a change
 * records is the row it changed, not one a concurrent change replaced.
 */
export async function findUserForChange(tx: Prisma.TransactionClient, ref: TUserRef): Promise<TUser> {
  const where = userWhere(ref);
  const locked = 'id' in where
    ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${where.id}::uuid FOR UPDATE`
    : await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE email = ${where.email} FOR UPDATE`;
  if (locked.length === 0) throw userNotFound(ref);
  return findUser(tx, { id: locked[0]!.id });
}
