import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { canActor, requirePermission } from '../permissions/require-permission';
import { TEAM_INCLUDE, toTeamDto, type TTeam } from './team-dto';

export async function listTeams({ actor }: { actor: TActor }): Promise<TTeam[]> {
  requirePermission(actor, 'teams:read');
  const rows = await prisma().team.findMany({ orderBy: { name: 'asc' }, include: TEAM_INCLUDE });
  // Who is in which team is the user list in another form: only for those who may see users or set membership.
  const seesMembers = canActor(actor, 'users:read') || canActor(actor, 'teams:ownership');
  return rows.map(toTeamDto).map((team) => (seesMembers ? team : { ...team, members: [] }));
}
