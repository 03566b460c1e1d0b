import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { TEAM_INCLUDE, toTeamDto, type TTeam } from './team-dto';

/** A team chosen by id (the API) or by name (the CLI). */
export type TTeamRef = { id: string } | { name: string };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Finds a team and locks its row for the rest of the transaction, so the "before" an
 * update or delete records is the row it changed, not one a concurrent change replaced.
 */
export async function findTeamForChange(tx: Prisma.TransactionClient, ref: TTeamRef): Promise<TTeam> {
  const notFound = () => new AppError('NOT_FOUND', 'id' in ref ? `No team with id ${JSON.stringify(ref.id)}` : `No team named ${JSON.stringify(ref.name)}`);
  // Not a uuid cannot name a team; asking PostgreSQL would be a cast error, not a 404.
  if ('id' in ref && !UUID.test(ref.id)) throw notFound();
  const locked = 'id' in ref
    ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM teams WHERE id = ${ref.id}::uuid FOR UPDATE`
    : await tx.$queryRaw<{ id: string }[]>`SELECT id FROM teams WHERE name = ${ref.name} FOR UPDATE`;
  if (locked.length === 0) throw notFound();
  return toTeamDto(await tx.team.findUniqueOrThrow({ where: { id: locked[0]!.id }, include: TEAM_INCLUDE }));
}
