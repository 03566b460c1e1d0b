import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { findUser, findUserForChange, type TUserRef } from './find-user-for-change';
import { lockAdminChanges, requireAnotherEnabledAdmin } from './require-enabled-admin';
import { toUserAudit, type TUser } from './user-dto';

/**
 * Stops a user signing in, and ends every session they have at its next request (the
 * session check re-reads the user, and sessions_valid_after moves to now). Their audit
 * history and memberships stay. Disabling a disabled user changes and records nothing.
 */
export async function disableUser({ actor, user: ref, reason }: { actor: TActor; user: TUserRef; reason?: string | null }): Promise<TUser> {
  requirePermission(actor, 'users:manage');
  return prisma().$transaction(async (tx) => {
    await lockAdminChanges(tx);
    const before = await findUserForChange(tx, ref);
    if (before.disabled) return before;
    await requireAnotherEnabledAdmin(tx, before, 'disable');
    const now = new Date();
    await tx.user.update({ where: { id: before.id }, data: { disabledAt: now, sessionsValidAfter: now } });
    const user = await findUser(tx, { id: before.id });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'user.disabled', subject: `user:${user.id}`, reason,
      before: toUserAudit(before), after: toUserAudit(user),
    });
    return user;
  }, AUDITED_TRANSACTION);
}
