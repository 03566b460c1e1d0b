import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import type { TMessageStatus } from '../messages/message-dto';
import { scopeOf } from '../permissions/team-scope';

/**
 * The groups that have a stored message the actor may read (in `status`, when given): the
 * group-level form of scopeMessageWhere. Every message of a group has the group's origin
 * queue (it is part of the signature), so the origin half is a test on the group and one
 * probe of the group_id index; the source and owner halves look at the group's messages
 * (by the group_id index), as scopeMessageWhere does for one message.
 */
export function groupScopeWhere(actor: TActor, status?: TMessageStatus): Prisma.FailureGroupWhereInput {
  const scope = scopeOf(actor);
  const some = { some: status ? { status } : {} };
  if (!scope) return status ? { messages: some } : {};
  return {
    OR: [
      { originQueue: { in: scope.origins }, messages: some },
      ...(scope.sources.length ? [{ messages: { some: { status, sourceQueue: { in: scope.sources } } } }] : []),
      ...(scope.teamIds.length ? [{ messages: { some: { status, ownerTeamId: { in: scope.teamIds } } } }] : []),
    ],
  };
}
