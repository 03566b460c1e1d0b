import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { RETENTION_AUDIT } from '../ownership/ownership-audit-actions';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { toPolicyDto, ZRetentionPolicyKey, type TRetentionPolicy, type TRetentionPolicyKey } from './retention-policy-dto';

/** Removes a policy: the source falls back to '*' for that status, or '*' to keeping for ever. */
export async function removeRetentionPolicy({ actor, policy }: { actor: TActor; policy: TRetentionPolicyKey }): Promise<TRetentionPolicy> {
  requirePermission(actor, 'settings:manage');
  const { sourceQueue, status } = parseInput(ZRetentionPolicyKey, policy);
  return prisma().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ days: number | null }[]>`
      DELETE FROM retention_policies WHERE source_queue = ${sourceQueue} AND status = ${status}::message_status RETURNING days`;
    const before = rows[0];
    if (!before) throw new AppError('NOT_FOUND', `No retention policy for ${sourceQueue === '*' ? 'every source' : sourceQueue} in status ${status}`);
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: RETENTION_AUDIT.removed, subject: `retention:${sourceQueue}/${status}`,
      before: { sourceQueue, status, days: before.days }, sourceQueue: sourceQueue === '*' ? null : sourceQueue,
    });
    return toPolicyDto({ sourceQueue, status, days: before.days, updatedBy: actorLabel(actor), updatedAt: new Date() });
  }, AUDITED_TRANSACTION);
}
