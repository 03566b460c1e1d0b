import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { findMessageTraceLink } from '../trace/find-message-trace-link';
import { toTraceFields } from '../trace/trace-link';
import { toGroupDtos } from './group-details';
import { ZGroupId, type TGroup } from './group-dto';
import { groupScopeWhere } from './group-scope';

/** One group. Out of a scoped caller's reach (no stored message of it in scope) looks like no such group. */
export async function getGroup({ actor, id }: { actor: TActor; id: string }): Promise<TGroup> {
  requirePermission(actor, 'messages:read');
  const notFound = () => new AppError('NOT_FOUND', `No failure group with id ${JSON.stringify(id.slice(0, 40))}`);
  if (!ZGroupId.safeParse(id).success) throw notFound();
  const row = await prisma().failureGroup.findFirst({
    where: { id: BigInt(id), ...groupScopeWhere(actor) },
  });
  if (!row) throw notFound();
  const group = (await toGroupDtos(actor, [row]))[0]!;
  // The trace of its newest message the caller may see.
  const trace = group.sampleMessageId ? await findMessageTraceLink({ actor, id: BigInt(group.sampleMessageId) }) : null;
  return { ...group, ...toTraceFields(trace) };
}
