import { isDeepStrictEqual } from 'node:util';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { readSettings, toSettingsAudit, ZSettingsUpdate, type TSettings, type TSettingsUpdate } from './settings-dto';

/** Changes the settings given. A change that changes nothing is not recorded. */
export async function updateSettings({ actor, changes }: { actor: TActor; changes: TSettingsUpdate }): Promise<TSettings> {
  requirePermission(actor, 'settings:manage');
  const { approvalThreshold } = parseInput(ZSettingsUpdate, changes);
  return prisma().$transaction(async (tx) => {
    // Locked, so the "before" recorded is the row this changes, not one a concurrent change replaced.
    await tx.$queryRaw`SELECT id FROM settings WHERE id FOR UPDATE`;
    const before = await readSettings(tx);
    const after = { ...toSettingsAudit(before), ...(approvalThreshold !== undefined && { approvalThreshold }) };
    if (isDeepStrictEqual(after, toSettingsAudit(before))) return before;
    await tx.settings.update({ where: { id: true }, data: { ...after, updatedBy: actorLabel(actor), updatedAt: new Date() } });
    const settings = await readSettings(tx);
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'settings.updated', subject: 'settings', before: toSettingsAudit(before), after: toSettingsAudit(settings),
    });
    return settings;
  }, AUDITED_TRANSACTION);
}
