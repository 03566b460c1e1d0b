import type { TActor } from '../actor';
import { actorLabel } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireUnscopedSourceChange } from './require-unscoped-source-change';
import { ZSourceQueue } from './source-name';

/** Adds sources that are not there yet; returns the ones it added. */
export async function addSources({ actor, queues }: { actor: TActor; queues: string[] }): Promise<string[]> {
  requirePermission(actor, 'sources:manage');
  requireUnscopedSourceChange(actor);
  const names = [...new Set(queues.map((q) => {
    const parsed = ZSourceQueue.safeParse(q);
    if (!parsed.success) throw new AppError('INVALID_INPUT', `Invalid queue name ${JSON.stringify(q)}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }))];
  if (names.length === 0) return [];
  return prisma().$transaction(async (tx) => {
    const added: string[] = [];
    for (const queue of names) {
      const rows = await tx.$executeRaw`INSERT INTO sources (queue) VALUES (${queue}) ON CONFLICT DO NOTHING`;
      if (rows === 0) continue;
      added.push(queue);
      await recordAuditEvent(tx, { actor: actorLabel(actor), action: 'source.added', subject: `source:${queue}`, after: { queue } });
    }
    return added;
  }, AUDITED_TRANSACTION);
}
