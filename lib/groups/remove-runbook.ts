import { actorLabel, type TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { recordGroupsAuditEvent } from './groups-audit';
import { toRunbookDto, ZRunbookTarget, type TRunbook, type TRunbookTarget } from './runbook-dto';

/** Removes the runbook of an origin queue or a group; returns it as it was. */
export async function removeRunbook({ actor, ...input }: { actor: TActor } & TRunbookTarget): Promise<TRunbook> {
  requirePermission(actor, 'settings:manage');
  const { kind, key } = parseInput(ZRunbookTarget, input);
  return prisma().$transaction(async (tx) => {
    const row = await tx.runbook.findUnique({ where: { kind_key: { kind, key } } });
    // Of two concurrent removals, the second removes nothing: it is told so and records nothing.
    if (!row || (await tx.runbook.deleteMany({ where: { kind, key } })).count === 0) {
      throw new AppError('NOT_FOUND', `No runbook for ${kind} ${JSON.stringify(key.slice(0, 255))}`);
    }
    await recordGroupsAuditEvent(tx, {
      actor: actorLabel(actor), action: 'runbook.removed', subject: `runbook:${kind}:${key}`,
      before: { kind, key, url: row.url }, originQueue: kind === 'origin' ? key : undefined,
    });
    return toRunbookDto(row);
  }, AUDITED_TRANSACTION);
}
