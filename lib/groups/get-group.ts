import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
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
  return (await toGroupDtos(actor, [row]))[0]!;
}
