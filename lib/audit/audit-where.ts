import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { escapeLike } from '../messages/message-where';
import { scopeOf } from '../permissions/team-scope';
import { actionsOf } from './action-groups';
import type { TCheckedAuditFilters } from './audit-query';

// The WHERE clause of the audit list and the export, from checked filters and the reader.
// The queue columns are copied onto each event when it is written, so "the team's events"
// and the reader's team scope hold after retention has removed the messages themselves.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A team's queues, and the subjects its own events carry (by name, and by id for events that name it so). */
async function teamWhere(team: string): Promise<Prisma.AuditEventWhereInput> {
  const found = await prisma().team.findFirst({
    where: UUID.test(team) ? { OR: [{ id: team.toLowerCase() }, { name: team }] } : { name: team },
    select: { id: true, name: true, ownerships: { select: { kind: true, queue: true } } },
  });
  if (!found) throw new AppError('INVALID_INPUT', `Invalid filter "team": no team is named or has the id ${JSON.stringify(team)}`);
  const queues = (kind: string) => found.ownerships.filter((o) => o.kind === kind).map((o) => o.queue);
  return {
    OR: [
      { originQueue: { in: queues('origin') } },
      { sourceQueue: { in: queues('source') } },
      { subject: { in: [`team:${found.name}`, `team:${found.id}`] } },
    ],
  };
}

/**
 * A team-scoped reader sees the events about messages of its teams' queues, and nothing
 * else: not the events about users, tokens or settings, which say who can reach what.
 */
function scopeWhere(actor: TActor): Prisma.AuditEventWhereInput {
  const scope = scopeOf(actor);
  if (!scope) return {};
  return { messageId: { not: null }, OR: [{ originQueue: { in: scope.origins } }, { sourceQueue: { in: scope.sources } }] };
}

/** The same rule as scopeWhere, for one event already read. */
export function isEventInScope(actor: TActor, e: { messageId: bigint | null; sourceQueue: string | null; originQueue: string | null }): boolean {
  const scope = scopeOf(actor);
  if (!scope) return true;
  if (e.messageId === null) return false;
  return (e.originQueue !== null && scope.origins.includes(e.originQueue)) || (e.sourceQueue !== null && scope.sources.includes(e.sourceQueue));
}

export async function resolveAuditWhere({ actor, filters: f }: { actor: TActor; filters: TCheckedAuditFilters }): Promise<Prisma.AuditEventWhereInput> {
  const prefix = f.actor?.endsWith('*') ? f.actor.slice(0, -1) : null;
  const own: Prisma.AuditEventWhereInput = {
    actor: prefix !== null ? { startsWith: escapeLike(prefix) } : f.actor,
    action: f.action ? { in: [...actionsOf(f.action)] } : undefined,
    sourceQueue: f.source,
    originQueue: f.origin,
    outcome: f.outcome,
    messageId: f.messageId ? BigInt(f.messageId) : undefined,
    at: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
  };
  return { AND: [own, f.team ? await teamWhere(f.team) : {}, scopeWhere(actor)] };
}
