import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db/is-unique-violation';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireUnscoped } from '../permissions/team-scope';
import { ZQueueName } from '../validation/broker-names';
import { parseInput } from '../validation/text';
import { findTeamForChange, type TTeamRef } from './find-team-for-change';
import type { TTeam } from './team-dto';

// Which queues a team owns decides what its team-scoped members and tokens see and act on
// (lib/permissions/team-scope.ts). A queue has one owner: the table's key is (kind, queue).

const ZQueues = (what: string) =>
  z
    .array(ZQueueName, { error: `${what} must be a list of queue names` })
    .max(1000, `${what} lists more than 1000 queues`)
    .transform((queues) => [...new Set(queues)].sort());

/** The body of PUT /api/v1/teams/{id}/ownership: the lists replace what the team owns. */
export const ZTeamOwnership = z.strictObject({ origins: ZQueues('origins'), sources: ZQueues('sources') });
export type TTeamOwnership = z.input<typeof ZTeamOwnership>;

type TOwned = { kind: 'origin' | 'source'; queue: string };

export async function setTeamOwnership({ actor, team: ref, ownership }: { actor: TActor; team: TTeamRef; ownership: TTeamOwnership }): Promise<TTeam> {
  requirePermission(actor, 'teams:ownership');
  requireUnscoped(actor);
  const { origins, sources } = parseInput(ZTeamOwnership, ownership);
  const wanted: TOwned[] = [...origins.map((queue) => ({ kind: 'origin' as const, queue })), ...sources.map((queue) => ({ kind: 'source' as const, queue }))];
  let teamId: string | null = null;
  try {
    return await prisma().$transaction(async (tx) => {
      const before = await findTeamForChange(tx, ref);
      teamId = before.id;
      if (isDeepStrictEqual({ origins, sources }, { origins: before.origins, sources: before.sources })) return before;
      await requireUnowned(tx, before.id, wanted);
      await tx.teamOwnership.deleteMany({ where: { teamId: before.id } });
      await tx.teamOwnership.createMany({ data: wanted.map((o) => ({ ...o, teamId: before.id })) });
      const team = await findTeamForChange(tx, { id: before.id });
      await recordAuditEvent(tx, {
        actor: actorLabel(actor), action: 'team.ownership_changed', subject: `team:${team.name}`,
        before: { origins: before.origins, sources: before.sources }, after: { origins: team.origins, sources: team.sources },
      });
      return team;
    }, AUDITED_TRANSACTION);
  } catch (error) {
    // Another team claimed one of these queues between our check and our insert.
    if (isUniqueViolation(error)) await requireUnowned(prisma(), teamId, wanted);
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'Another team took one of these queues at the same time; reload and try again');
    throw error;
  }
}

/** CONFLICT naming every queue another team owns already (never taken over silently). */
async function requireUnowned(db: Pick<ReturnType<typeof prisma>, 'teamOwnership'>, teamId: string | null, wanted: TOwned[]) {
  if (wanted.length === 0) return;
  const taken = await db.teamOwnership.findMany({
    where: { OR: wanted.map((o) => ({ kind: o.kind, queue: o.queue })), ...(teamId && { teamId: { not: teamId } }) },
    include: { team: { select: { name: true } } },
    orderBy: [{ kind: 'asc' }, { queue: 'asc' }],
  });
  if (taken.length === 0) return;
  const which = taken.map((o) => `${o.kind} ${o.queue} (team ${o.team.name})`).join(', ');
  throw new AppError('CONFLICT', `Already owned by another team: ${which}. That team must give it up first.`, {
    owned: taken.map((o) => ({ kind: o.kind, queue: o.queue, team: o.team.name })),
  });
}
