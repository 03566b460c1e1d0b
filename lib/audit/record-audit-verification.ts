import { actorLabel, type TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import type { TAuditVerificationRecord } from './audit-integrity-dto';
import { recordAuditEvent } from './record-audit-event';
import { verifyAuditChain, type TVerifyProgress } from './verify-audit-chain';

type TOptions = { actor: TActor; batchSize?: number; onProgress?: (progress: TVerifyProgress) => void };

/**
 * Verifies the chain and appends the result as an audit.verified event. The record then
 * says who checked, when, and what they found; and an intact result names the head it
 * saw, so each verification also anchors that head inside the chain that follows it.
 */
export async function recordAuditVerification({ actor, batchSize, onProgress }: TOptions): Promise<TAuditVerificationRecord> {
  requirePermission(actor, 'audit:verify');
  const verification = await verifyAuditChain({ actor, batchSize, onProgress });
  const summary = verification.ok
    ? `intact: ${verification.checked} events up to event ${verification.headId ?? 'none'}`
    : `broken at event ${verification.brokenAt ?? 'none'}: ${verification.kind}`;
  try {
    return await prisma().$transaction(async (tx) => {
      await recordAuditEvent(tx, {
        actor: actorLabel(actor),
        action: 'audit.verified',
        subject: 'audit_chain',
        after: verification,
        result: summary,
        outcome: verification.ok ? 'succeeded' : 'failed',
      });
      // This transaction holds the head's lock until it commits: the head names our event.
      const head = await tx.auditChainHead.findUniqueOrThrow({ where: { id: true } });
      const event = await tx.auditEvent.findUniqueOrThrow({ where: { id: head.lastId! }, select: { id: true, at: true, actor: true } });
      return { eventId: event.id.toString(), at: event.at.toISOString(), actor: event.actor, verification };
    });
  } catch (error) {
    // A chain whose head row was deleted cannot take the event: the finding must still reach the caller.
    throw new AppError('INTERNAL', `${summary}; the result could not be recorded: ${(error as Error).message}`, verification);
  }
}
