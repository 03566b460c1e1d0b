import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db/is-unique-violation';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { destinationColumns, TEAM_INCLUDE, toTeamAudit, toTeamDto, ZTeamInput, type TTeam, type TTeamInput } from './team-dto';

export function teamNameTaken(name: string) {
  return new AppError('CONFLICT', `A team named ${JSON.stringify(name)} already exists`);
}

export async function createTeam({ actor, ...input }: { actor: TActor } & TTeamInput): Promise<TTeam> {
  requirePermission(actor, 'teams:manage');
  const { name, destination, contact } = parseInput(ZTeamInput, input);
  try {
    return await prisma().$transaction(async (tx) => {
      if (await tx.team.findUnique({ where: { name } })) throw teamNameTaken(name);
      const team = toTeamDto(await tx.team.create({ data: { name, contact: contact ?? null, ...destinationColumns(destination) }, include: TEAM_INCLUDE }));
      await recordAuditEvent(tx, { actor: actorLabel(actor), action: 'team.created', subject: `team:${name}`, after: toTeamAudit(team) });
      return team;
    }, AUDITED_TRANSACTION);
  } catch (error) {
    // Two creates at once: the loser meets the unique index, and gets the same answer.
    if (isUniqueViolation(error)) throw teamNameTaken(name);
    throw error;
  }
}
