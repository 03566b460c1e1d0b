import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { RETENTION_AUDIT } from '../ownership/ownership-audit-actions';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { toPolicyDto, ZRetentionPolicyInput, type TRetentionPolicy, type TRetentionPolicyInput } from './retention-policy-dto';

/** Sets how long a source's (or every source's) messages in a status are kept. Setting what is set records nothing. */
export async function setRetentionPolicy({ actor, policy }: { actor: TActor; policy: TRetentionPolicyInput }): Promise<TRetentionPolicy> {
  requirePermission(actor, 'settings:manage');
  const { sourceQueue, status, days } = parseInput(ZRetentionPolicyInput, policy);
  return prisma().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ days: number | null }[]>`
      SELECT days FROM retention_policies WHERE source_queue = ${sourceQueue} AND status = ${status}::message_status FOR UPDATE`;
    const before = rows[0];
    if (before && before.days === days) return toPolicyDto(await tx.retentionPolicy.findUniqueOrThrow({ where: { sourceQueue_status: { sourceQueue, status } } }));
    const row = await tx.retentionPolicy.upsert({
      where: { sourceQueue_status: { sourceQueue, status } },
      create: { sourceQueue, status, days, updatedBy: actorLabel(actor) },
      update: { days, updatedBy: actorLabel(actor), updatedAt: new Date() },
    });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: RETENTION_AUDIT.set, subject: `retention:${sourceQueue}/${status}`,
      before: before ? { sourceQueue, status, days: before.days } : undefined, after: { sourceQueue, status, days },
      sourceQueue: sourceQueue === '*' ? null : sourceQueue,
    });
    return toPolicyDto(row);
  }, AUDITED_TRANSACTION);
}
