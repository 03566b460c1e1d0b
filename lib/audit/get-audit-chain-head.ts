import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import type { TAuditChainHead } from './audit-integrity-dto';

/**
 * The newest event's id and hash and the number of events, as the chain trigger keeps
 * them: what to copy somewhere the database's administrators cannot write, so a later
 * rewrite of the whole chain cannot match it (docs/decisions/0009-audit-hash-chain.md).
 */
export async function getAuditChainHead({ actor }: { actor: TActor }): Promise<TAuditChainHead> {
  requirePermission(actor, 'audit:read');
  const head = await prisma().auditChainHead.findUnique({ where: { id: true } });
  if (!head) {
    throw new AppError('INTERNAL', 'audit_chain_head has no row: no audit event can be written until it is restored; run "npm run cli -- audit verify"');
  }
  return {
    lastId: head.lastId?.toString() ?? null,
    lastHash: Buffer.from(head.lastHash).toString('hex'),
    events: Number(head.events),
  };
}
