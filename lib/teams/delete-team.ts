import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { findTeamForChange, type TTeamRef } from './find-team-for-change';
import { toTeamAudit, type TTeam } from './team-dto';

/** Deletes a team; dispatches already made to it keep its name. Returns the team as it was. */
export async function deleteTeam({ actor, team: ref }: { actor: TActor; team: TTeamRef }): Promise<TTeam> {
  requirePermission(actor, 'teams:manage');
  return prisma().$transaction(async (tx) => {
    const team = await findTeamForChange(tx, ref);
    await tx.team.delete({ where: { id: team.id } });
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: 'team.deleted', subject: `team:${team.name}`, before: toTeamAudit(team) });
    return team;
  });
}
