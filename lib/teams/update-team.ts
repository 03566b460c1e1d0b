import { isDeepStrictEqual } from 'node:util';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db/is-unique-violation';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { teamNameTaken } from './create-team';
import { findTeamForChange, type TTeamRef } from './find-team-for-change';
import { destinationColumns, TEAM_INCLUDE, toTeamAudit, toTeamDto, ZTeamUpdate, type TTeam, type TTeamUpdate } from './team-dto';

/** Changes the fields given. A change that changes nothing is not recorded. */
export async function updateTeam({ actor, team: ref, changes }: { actor: TActor; team: TTeamRef; changes: TTeamUpdate }): Promise<TTeam> {
  requirePermission(actor, 'teams:manage');
  const { name, destination, contact } = parseInput(ZTeamUpdate, changes);
  try {
    return await prisma().$transaction(async (tx) => {
      const before = await findTeamForChange(tx, ref);
      const current = toTeamAudit(before);
      const after = {
        ...current,
        ...(name !== undefined && { name }),
        ...(destination && destinationColumns(destination)),
        ...(contact !== undefined && { contact }),
      };
      if (isDeepStrictEqual(after, current)) return before;
      if (after.name !== before.name && (await tx.team.findUnique({ where: { name: after.name } }))) throw teamNameTaken(after.name);
      const row = await tx.team.update({ where: { id: before.id }, data: after, include: TEAM_INCLUDE });
      const team = toTeamDto(row);
      await recordAuditEvent(tx, {
        actor: actorLabel(actor), action: 'team.updated', subject: `team:${before.name}`, before: toTeamAudit(before), after: toTeamAudit(team),
      });
      return team;
    }, AUDITED_TRANSACTION);
  } catch (error) {
    if (isUniqueViolation(error) && name !== undefined) throw teamNameTaken(name);
    throw error;
  }
}
