import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { TEAM_INCLUDE, toTeamDto, type TTeam } from './team-dto';

export async function listTeams({ actor }: { actor: TActor }): Promise<TTeam[]> {
  requirePermission(actor, 'teams:read');
  const rows = await prisma().team.findMany({ orderBy: { name: 'asc' }, include: TEAM_INCLUDE });
  return rows.map(toTeamDto);
}
