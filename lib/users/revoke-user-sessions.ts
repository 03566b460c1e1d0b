import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { findUser, findUserForChange, type TUserRef } from './find-user-for-change';
import type { TUser } from './user-dto';

/**
 * "Sign out everywhere": every session the user holds now is refused at its next request
 * (lib/users/authenticate-user.ts findActiveUser compares the session's sign-in time with
 * sessions_valid_after). Sessions are signed cookies, so there is no list of them to delete.
 */
export async function revokeUserSessions({ actor, user: ref, reason }: { actor: TActor; user: TUserRef; reason?: string | null }): Promise<TUser> {
  requirePermission(actor, 'users:manage');
  return prisma().$transaction(async (tx) => {
    const before = await findUserForChange(tx, ref);
    // The application's clock, like the sign-in time the session carries (lib/auth/auth-options.ts).
    const now = new Date();
    await tx.user.update({ where: { id: before.id }, data: { sessionsValidAfter: now } });
    const user = await findUser(tx, { id: before.id });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'user.sessions_revoked', subject: `user:${user.id}`, reason,
      before: { email: before.email, sessionsValidAfter: before.sessionsValidAfter }, after: { email: user.email, sessionsValidAfter: user.sessionsValidAfter },
    });
    return user;
  }, AUDITED_TRANSACTION);
}
