import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { UUID } from './find-team-for-change';

export type TTeamSummary = { id: string; name: string };

/**
 * The teams named by id or by name (a user's teams, a token's team), each once, in the
 * order given. Every unknown one is named in one NOT_FOUND, so nothing is half-applied.
 * `FOR SHARE` holds them until the caller commits: a concurrent delete of one of them waits,
 * then sees the membership or token this transaction added (and refuses or cascades).
 */
export async function findTeams(tx: Prisma.TransactionClient, refs: readonly string[]): Promise<TTeamSummary[]> {
  if (refs.length === 0) return [];
  const ids = refs.filter((r) => UUID.test(r));
  const rows = await tx.$queryRaw<TTeamSummary[]>`
    SELECT id::text AS id, name FROM teams
    WHERE name = ANY(${[...refs]}::text[]) OR id = ANY(${ids}::uuid[])
    ORDER BY id FOR SHARE`;
  const found = (ref: string) => rows.find((t) => t.name === ref || t.id === ref.toLowerCase());
  const unknown = refs.filter((r) => !found(r));
  if (unknown.length > 0) {
    throw new AppError('NOT_FOUND', `No team named ${unknown.map((r) => JSON.stringify(r)).join(', ')}`);
  }
  const teams = new Map<string, TTeamSummary>();
  for (const ref of refs) {
    const team = found(ref)!;
    teams.set(team.id, team);
  }
  return [...teams.values()];
}
