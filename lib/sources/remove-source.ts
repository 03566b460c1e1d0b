import type { TActor } from '../actor';
import { actorLabel } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireUnscopedSourceChange } from './require-unscoped-source-change';

/** Stops consuming a source. Its stored messages stay. */
export async function removeSource({ actor, queue, reason }: { actor: TActor; queue: string; reason?: string }) {
  requirePermission(actor, 'sources:manage');
  requireUnscopedSourceChange(actor);
  await prisma().$transaction(async (tx) => {
    const deleted = await tx.source.deleteMany({ where: { queue } });
    if (deleted.count === 0) throw new AppError('NOT_FOUND', `No source named ${JSON.stringify(queue)}`);
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: 'source.removed', subject: `source:${queue}`, reason, before: { queue } });
  }, AUDITED_TRANSACTION);
}
