import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { hashPassword } from '../auth/password';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { findUser, findUserForChange, type TUserRef } from './find-user-for-change';
import { ZPassword, type TUser } from './user-dto';

/** The body of PUT /api/v1/users/{id}/password. */
export const ZSetPassword = z.strictObject({ password: ZPassword });

/**
 * Sets a new password for a user who signs in with one, and ends their sessions: whoever
 * held the old password is out at their next request. The audit event says it happened,
 * never what the password or its hash is.
 */
export async function setUserPassword({ actor, user: ref, password }: { actor: TActor; user: TUserRef; password: string }): Promise<TUser> {
  requirePermission(actor, 'users:manage');
  parseInput(ZSetPassword, { password });
  // Hashing takes a while (scrypt): outside the transaction, so no row stays locked meanwhile.
  const passwordHash = await hashPassword(password);
  return prisma().$transaction(async (tx) => {
    const before = await findUserForChange(tx, ref);
    if (before.authProvider !== 'credentials') {
      throw new AppError('CONFLICT', `${before.email} signs in through the identity provider (${before.authProvider}) and has no password here`);
    }
    const now = new Date();
    await tx.user.update({ where: { id: before.id }, data: { passwordHash, sessionsValidAfter: now } });
    const user = await findUser(tx, { id: before.id });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'user.password_changed', subject: `user:${user.id}`,
      after: { email: user.email, sessionsValidAfter: user.sessionsValidAfter },
    });
    return user;
  }, AUDITED_TRANSACTION);
}
