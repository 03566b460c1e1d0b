import { actorLabel, type TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { recordGroupsAuditEvent } from './groups-audit';
import { toRunbookDto, ZRunbookInput, type TRunbook, type TRunbookInput } from './runbook-dto';

/** Sets (or replaces) the runbook of an origin queue or a failure group. */
export async function setRunbook({ actor, ...input }: { actor: TActor } & TRunbookInput): Promise<TRunbook> {
  requirePermission(actor, 'settings:manage');
  const { kind, key, url } = parseInput(ZRunbookInput, input);
  return prisma().$transaction(async (tx) => {
    if (kind === 'group' && !(await tx.failureGroup.findUnique({ where: { id: BigInt(key) }, select: { id: true } }))) {
      throw new AppError('NOT_FOUND', `No failure group with id ${key}`);
    }
    const before = await tx.runbook.findUnique({ where: { kind_key: { kind, key } } });
    const updatedBy = actorLabel(actor);
    const row = await tx.runbook.upsert({
      where: { kind_key: { kind, key } },
      create: { kind, key, url, updatedBy },
      update: { url, updatedBy, updatedAt: new Date() },
    });
    await recordGroupsAuditEvent(tx, {
      actor: updatedBy, action: 'runbook.set', subject: `runbook:${kind}:${key}`,
      before: before ? { kind, key, url: before.url } : undefined, after: { kind, key, url },
      originQueue: kind === 'origin' ? key : undefined,
    });
    return toRunbookDto(row);
  }, AUDITED_TRANSACTION);
}
