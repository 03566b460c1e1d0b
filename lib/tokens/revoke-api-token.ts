import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';

/** Revokes by id or by name. Revoking twice is an error, so a typo is never silent. */
export async function revokeApiToken({ actor, idOrName, reason }: { actor: TActor; idOrName: string; reason?: string }) {
  requirePermission(actor, 'tokens:manage');
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  return prisma().$transaction(async (tx) => {
    const matches = await tx.apiToken.findMany({ where: isUuid ? { id: idOrName } : { name: idOrName, revokedAt: null } });
    if (matches.length === 0) throw new AppError('NOT_FOUND', `No active token ${JSON.stringify(idOrName)}`);
    if (matches.length > 1) throw new AppError('CONFLICT', `Several active tokens are named ${JSON.stringify(idOrName)}; revoke by id`);
    const token = matches[0]!;
    if (token.revokedAt) throw new AppError('CONFLICT', `Token ${token.id} was already revoked`);
    const revoked = await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'token.revoked', subject: `token:${token.id}`, reason,
      before: { name: token.name, role: token.role },
    });
    return revoked;
  });
}
