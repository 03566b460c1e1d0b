import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { findTeamForChange, type TTeamRef } from './find-team-for-change';
import { toTeamAudit, type TTeam } from './team-dto';

/**
 * Deletes a team; dispatches already made to it keep its name, and its ownerships and
 * memberships go with it (the audit event keeps them). Returns the team as it was.
 *
 * A team with unrevoked API tokens is refused: deleting it must neither widen those tokens
 * to every queue nor revoke them as a side effect (api_tokens.team_id is ON DELETE RESTRICT).
 * Its revoked tokens can never act again, so they are detached (team_id set to null) in the
 * same transaction, and the event lists them; their token.created events keep the team's name.
 */
export async function deleteTeam({ actor, team: ref }: { actor: TActor; team: TTeamRef }): Promise<TTeam> {
  requirePermission(actor, 'teams:manage');
  return prisma().$transaction(async (tx) => {
    const team = await findTeamForChange(tx, ref);
    const tokens = await tx.apiToken.findMany({ where: { teamId: team.id }, select: { id: true, name: true, revokedAt: true }, orderBy: { name: 'asc' } });
    const active = tokens.filter((t) => t.revokedAt === null);
    if (active.length > 0) {
      throw new AppError(
        'CONFLICT',
        `Team ${team.name} still has ${active.length} unrevoked API token(s) limited to it (${active.map((t) => JSON.stringify(t.name)).join(', ')}): revoke its ${active.length} token(s) first`,
        { tokens: active.map((t) => ({ id: t.id, name: t.name })) },
      );
    }
    const detached = tokens.map((t) => t.id);
    if (detached.length > 0) await tx.apiToken.updateMany({ where: { id: { in: detached } }, data: { teamId: null } });
    await tx.team.delete({ where: { id: team.id } });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'team.deleted', subject: `team:${team.name}`,
      before: { ...toTeamAudit(team), origins: team.origins, sources: team.sources, members: team.members, revokedTokens: detached },
    });
    return team;
  }, AUDITED_TRANSACTION);
}
