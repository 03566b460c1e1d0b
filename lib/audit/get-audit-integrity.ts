import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { ZAuditChainVerification, type TAuditIntegrity } from './audit-integrity-dto';
import { getAuditChainHead } from './get-audit-chain-head';

/** The chain head and the newest recorded verification: the admin page's status. */
export async function getAuditIntegrity({ actor }: { actor: TActor }): Promise<TAuditIntegrity> {
  requirePermission(actor, 'audit:read');
  const [head, last] = await Promise.all([
    getAuditChainHead({ actor }),
    prisma().auditEvent.findFirst({
      where: { action: 'audit.verified' },
      orderBy: { id: 'desc' },
      select: { id: true, at: true, actor: true, after: true },
    }),
  ]);
  if (!last) return { head, lastVerification: null };
  const parsed = ZAuditChainVerification.safeParse(last.after);
  if (!parsed.success) {
    // Only a writer outside the console makes such an event; say so rather than hide it.
    throw new AppError('INTERNAL', `audit event ${last.id} (audit.verified) does not hold a verification result; run "npm run cli -- audit verify"`);
  }
  return {
    head,
    lastVerification: { eventId: last.id.toString(), at: last.at.toISOString(), actor: last.actor, verification: parsed.data },
  };
}
