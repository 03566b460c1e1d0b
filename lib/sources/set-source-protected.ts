import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';

/** The body of PATCH /api/v1/sources/{queue}. */
export const ZSourceUpdate = z.strictObject({ protected: z.boolean({ error: 'protected must be true or false' }) });

/**
 * Protects a source (replays, redirects and discards of its messages then need a second
 * person's approval, lib/approvals) or lifts that. Setting what is set records nothing.
 */
export async function setSourceProtected({ actor, queue, protected: isProtected }: { actor: TActor; queue: string; protected: boolean }) {
  requirePermission(actor, 'sources:manage');
  parseInput(ZSourceUpdate, { protected: isProtected });
  return prisma().$transaction(async (tx) => {
    // Locked, so the "before" recorded is the row this changes.
    const rows = await tx.$queryRaw<{ queue: string; protected: boolean }[]>`SELECT queue, protected FROM sources WHERE queue = ${queue} FOR UPDATE`;
    const before = rows[0];
    if (!before) throw new AppError('NOT_FOUND', `No source named ${JSON.stringify(queue)}`);
    if (before.protected === isProtected) return { queue, protected: isProtected };
    await tx.source.update({ where: { queue }, data: { protected: isProtected } });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'source.updated', subject: `source:${queue}`,
      before: { queue, protected: before.protected }, after: { queue, protected: isProtected }, sourceQueue: queue,
    });
    return { queue, protected: isProtected };
  }, AUDITED_TRANSACTION);
}
