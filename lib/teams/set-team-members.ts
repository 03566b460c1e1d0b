import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireUnscoped } from '../permissions/team-scope';
import { parseInput } from '../validation/text';
import { findTeamForChange, UUID, type TTeamRef } from './find-team-for-change';
import type { TTeam } from './team-dto';

/** The body of PUT /api/v1/teams/{id}/members: users by email or id; the list replaces the members. */
export const ZTeamMembers = z.strictObject({
  users: z
    .array(z.string({ error: 'users must be a list of emails or user ids' }).trim().toLowerCase().min(1, 'a user is empty').max(320, 'a user is longer than 320 characters'), {
      error: 'users must be a list of emails or user ids',
    })
    .max(1000, 'users lists more than 1000 users')
    .transform((users) => [...new Set(users)]),
});
export type TTeamMembers = z.input<typeof ZTeamMembers>;

/**
 * Who is in the team: a team-scoped member sees the team's queues from their next request.
 * Disabled users may be members (they keep their place if enabled again).
 */
export async function setTeamMembers({ actor, team: ref, members }: { actor: TActor; team: TTeamRef; members: TTeamMembers }): Promise<TTeam> {
  requirePermission(actor, 'teams:ownership');
  requireUnscoped(actor);
  const { users: refs } = parseInput(ZTeamMembers, members);
  return prisma().$transaction(async (tx) => {
    const before = await findTeamForChange(tx, ref);
    const users = await tx.user.findMany({
      where: { OR: [{ email: { in: refs } }, { id: { in: refs.filter((r) => UUID.test(r)) } }] },
      select: { id: true, email: true },
    });
    const unknown = refs.filter((r) => !users.some((u) => u.email === r || u.id === r));
    if (unknown.length > 0) throw new AppError('NOT_FOUND', `No user with email ${unknown.map((r) => JSON.stringify(r)).join(', ')}`);
    if (isDeepStrictEqual(users.map((u) => u.email).sort(), before.members)) return before;
    const userIds = users.map((u) => u.id);
    await tx.teamMember.deleteMany({ where: { teamId: before.id, userId: { notIn: userIds } } });
    // skipDuplicates: a concurrent user update may have added the same membership already.
    await tx.teamMember.createMany({ data: userIds.map((userId) => ({ teamId: before.id, userId })), skipDuplicates: true });
    const team = await findTeamForChange(tx, { id: before.id });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'team.members_changed', subject: `team:${team.name}`,
      before: { members: before.members }, after: { members: team.members },
    });
    return team;
  }, AUDITED_TRANSACTION);
}
