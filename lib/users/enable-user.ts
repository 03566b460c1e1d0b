import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { findUser, findUserForChange, type TUserRef } from './find-user-for-change';
import { toUserAudit, type TUser } from './user-dto';

/**
 * Lets a disabled user sign in again. The sessions they had when disabled stay ended
 * (sessions_valid_after is kept): they sign in afresh. Enabling an enabled user records nothing.
 */
export async function enableUser({ actor, user: ref, reason }: { actor: TActor; user: TUserRef; reason?: string | null }): Promise<TUser> {
  requirePermission(actor, 'users:manage');
  return prisma().$transaction(async (tx) => {
    const before = await findUserForChange(tx, ref);
    if (!before.disabled) return before;
    await tx.user.update({ where: { id: before.id }, data: { disabledAt: null } });
    const user = await findUser(tx, { id: before.id });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'user.enabled', subject: `user:${user.id}`, reason,
      before: toUserAudit(before), after: toUserAudit(user),
    });
    return user;
  }, AUDITED_TRANSACTION);
}
