import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { TUser } from './user-dto';

// There must always be at least one enabled admin: without one, nobody can manage users,
// tokens or settings from the console, and a locked-out console needs shell access to fix.

/**
 * Serialises every change that could take away an enabled admin (a demotion, a disable).
 * Two admins demoting each other at once would otherwise each see the other still admin,
 * and both commit. Take it first in the transaction, before any row lock, so it cannot
 * deadlock with a row lock taken in another order. Held until commit.
 */
export async function lockAdminChanges(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('dlq-console:enabled-admins'))`;
}

/** Refuses a change that leaves `before` (an enabled admin) no longer an enabled admin when no other one remains. */
export async function requireAnotherEnabledAdmin(tx: Prisma.TransactionClient, before: TUser, change: 'disable' | 'demote'): Promise<void> {
  if (before.role !== 'admin' || before.disabled) return;
  const others = await tx.user.count({ where: { role: 'admin', disabledAt: null, id: { not: before.id } } });
  if (others > 0) return;
  throw new AppError(
    'CONFLICT',
    `There must be at least one enabled admin: ${before.email} is the last one, so it cannot be ${change === 'disable' ? 'disabled' : 'given another role'}. Make another user admin first.`,
  );
}
