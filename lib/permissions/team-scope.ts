import type { TActor, TTeamScope } from '../actor';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';

// Team scope (docs/decisions/0010-roles-and-team-scope.md): a scoped user or token reaches
// a message when one of its teams owns the message's origin queue or its source queue, or
// an ownership rule gave the message to one of its teams (messages.owner_team_id, lib/ownership).
// Out of scope looks exactly like "no such message", so ids of other teams leak nothing.

type TScopedMessage = { sourceQueue: string; originQueue: string | null; ownerTeamId: string | null };

/** The queues the given teams own, read when the actor is resolved for a request. */
export async function loadTeamScope(teamIds: string[]): Promise<TTeamScope> {
  const owned = teamIds.length === 0 ? [] : await prisma().teamOwnership.findMany({ where: { teamId: { in: teamIds } }, select: { kind: true, queue: true } });
  return {
    teamIds,
    origins: owned.filter((o) => o.kind === 'origin').map((o) => o.queue),
    sources: owned.filter((o) => o.kind === 'source').map((o) => o.queue),
  };
}

export function scopeOf(actor: TActor): TTeamScope | null {
  return actor.kind === 'system' ? null : actor.scope ?? null;
}

/** AND this into every query over messages the actor reads. */
export function scopeMessageWhere(actor: TActor): Prisma.MessageWhereInput {
  const scope = scopeOf(actor);
  if (!scope) return {};
  return { OR: [{ originQueue: { in: scope.origins } }, { sourceQueue: { in: scope.sources } }, { ownerTeamId: { in: scope.teamIds } }] };
}

export function isMessageInScope(actor: TActor, message: TScopedMessage): boolean {
  const scope = scopeOf(actor);
  if (!scope) return true;
  return (message.originQueue !== null && scope.origins.includes(message.originQueue))
    || scope.sources.includes(message.sourceQueue)
    || (message.ownerTeamId !== null && scope.teamIds.includes(message.ownerTeamId));
}

export function requireMessageInScope(actor: TActor, message: TScopedMessage & { id: bigint | string }): void {
  if (!isMessageInScope(actor, message)) throw new AppError('NOT_FOUND', `No message with id ${message.id}`);
}

/**
 * Who owns what and who is in which team decides every scope, so only an actor that is not
 * itself limited may change it: a team-scoped support lead could otherwise join any team,
 * or claim any unowned queue for their own, and widen their own reach.
 */
export function requireUnscoped(actor: TActor): void {
  if (scopeOf(actor)) {
    throw new AppError('FORBIDDEN', 'A user or token limited to its teams cannot change team ownership or membership: that would widen its own reach');
  }
}

/** A scoped actor may name only queues its teams own (for filters, sources, audit queries). */
export function isQueueInScope(actor: TActor, queue: string): boolean {
  const scope = scopeOf(actor);
  return !scope || scope.origins.includes(queue) || scope.sources.includes(queue);
}
