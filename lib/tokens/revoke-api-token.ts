import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { UUID } from '../teams/find-team-for-change';
import { API_TOKEN_INCLUDE, toApiTokenAudit, toApiTokenDto, type TApiToken } from './api-token-dto';

type TRevokeOptions = {
  actor: TActor;
  reason?: string | null;
  /**
   * What revoking a revoked token (by id) answers: by default an error, so a typo at the
   * CLI is never silent; `true` (the API's DELETE) answers with the token as it is, so a
   * retried request gets the same answer. Either way nothing is recorded twice.
   */
  idempotent?: boolean;
} & (
  /** Exactly the token listed (the API). */
  | { id: string }
  /** An id, or the name of an active token (the CLI). */
  | { idOrName: string }
);

/** Revokes by id or by name; the token is refused from its next request. */
export async function revokeApiToken(options: TRevokeOptions): Promise<TApiToken & { alreadyRevoked: boolean }> {
  const { actor, reason, idempotent = false } = options;
  requirePermission(actor, 'tokens:manage');
  const idOrName = 'id' in options ? options.id : options.idOrName;
  const isUuid = UUID.test(idOrName);
  if ('id' in options && !isUuid) throw new AppError('NOT_FOUND', `No token with id ${JSON.stringify(idOrName)}`);
  return prisma().$transaction(async (tx) => {
    // Locked: of two concurrent revokes, the second waits and then sees the first's revokedAt.
    const locked = isUuid
      ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM api_tokens WHERE id = ${idOrName}::uuid FOR UPDATE`
      : await tx.$queryRaw<{ id: string }[]>`SELECT id FROM api_tokens WHERE name = ${idOrName} AND revoked_at IS NULL FOR UPDATE`;
    if (locked.length === 0) throw new AppError('NOT_FOUND', `No active token ${JSON.stringify(idOrName)}`);
    if (locked.length > 1) throw new AppError('CONFLICT', `Several active tokens are named ${JSON.stringify(idOrName)}; revoke by id`);
    const token = toApiTokenDto(await tx.apiToken.findUniqueOrThrow({ where: { id: locked[0]!.id }, include: API_TOKEN_INCLUDE }));
    if (token.revokedAt) {
      if (idempotent) return { ...token, alreadyRevoked: true };
      throw new AppError('CONFLICT', `Token ${token.id} was already revoked`);
    }
    const revoked = toApiTokenDto(await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() }, include: API_TOKEN_INCLUDE }));
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'token.revoked', subject: `token:${token.id}`, reason,
      before: toApiTokenAudit(token), after: { ...toApiTokenAudit(revoked), revokedAt: revoked.revokedAt },
    });
    return { ...revoked, alreadyRevoked: false };
  }, AUDITED_TRANSACTION);
}
