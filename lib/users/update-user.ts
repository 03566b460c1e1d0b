import { isDeepStrictEqual } from 'node:util';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { findTeams } from '../teams/find-teams';
import { parseInput } from '../validation/text';
import { findUser, findUserForChange, type TUserRef } from './find-user-for-change';
import { replaceUserTeams } from './replace-user-teams';
import { lockAdminChanges, requireAnotherEnabledAdmin } from './require-enabled-admin';
import { toUserAudit, ZUserUpdate, type TUser, type TUserUpdate } from './user-dto';

/**
 * Changes a user's name, role, team scope or teams (the list replaces them). The new role
 * and teams count from the user's next request: the session re-reads the user every time.
 * A change that changes nothing is not recorded.
 */
export async function updateUser({ actor, user: ref, changes }: { actor: TActor; user: TUserRef; changes: TUserUpdate }): Promise<TUser> {
  requirePermission(actor, 'users:manage');
  const { name, role, teamScoped, teams: teamRefs } = parseInput(ZUserUpdate, changes);
  return prisma().$transaction(async (tx) => {
    await lockAdminChanges(tx);
    const before = await findUserForChange(tx, ref);
    const teams = teamRefs && (await findTeams(tx, teamRefs));
    const after: TUser = {
      ...before,
      ...(name !== undefined && { name }),
      ...(role !== undefined && { role }),
      ...(teamScoped !== undefined && { teamScoped }),
      ...(teams && { teams: [...teams].sort((a, b) => a.name.localeCompare(b.name)) }),
    };
    if (isDeepStrictEqual(toUserAudit(after), toUserAudit(before))) return before;
    if (after.role !== 'admin') await requireAnotherEnabledAdmin(tx, before, 'demote');
    await tx.user.update({ where: { id: before.id }, data: { name: after.name, role: after.role, teamScoped: after.teamScoped } });
    if (teams) await replaceUserTeams(tx, before.id, teams.map((t) => t.id));
    const user = await findUser(tx, { id: before.id });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'user.updated', subject: `user:${user.id}`, before: toUserAudit(before), after: toUserAudit(user),
    });
    return user;
  }, AUDITED_TRANSACTION);
}
