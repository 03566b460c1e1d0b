import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { toContractDto, type TContract } from './contract-dto';

/** Removes an origin's contract: replays to it are no longer checked. Returns it as it was. */
export async function removeContract({ actor, origin }: { actor: TActor; origin: string }): Promise<TContract> {
  requirePermission(actor, 'contracts:manage');
  return prisma().$transaction(async (tx) => {
    const row = await tx.contract.findUnique({ where: { originQueue: origin } });
    // Of two concurrent removes, the second deletes nothing: it is told so, and records nothing.
    if (!row || (await tx.contract.deleteMany({ where: { originQueue: origin } })).count === 0) {
      throw new AppError('NOT_FOUND', `No contract for ${JSON.stringify(origin)}`);
    }
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'contract.removed', subject: `contract:${origin}`, before: row.schema as Prisma.InputJsonValue,
    });
    return toContractDto(row);
  });
}
