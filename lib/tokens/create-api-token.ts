import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { requirePermission } from '../permissions/require-permission';
import { ROLES } from '../permissions/roles';
import { findTeams } from '../teams/find-teams';
import { ZTeamName } from '../teams/team-dto';
import { hasControlCharacters, parseInput } from '../validation/text';
import { API_TOKEN_INCLUDE, toApiTokenAudit, toApiTokenDto, type TApiToken } from './api-token-dto';
import { generateToken, hashToken } from './token-hash';

/** The body of POST /api/v1/tokens. */
export const ZCreateApiToken = z.strictObject({
  name: z
    .string({ error: (issue) => (issue.input === undefined ? 'name is required' : 'name must be a string') })
    .trim()
    .min(1, 'name is empty')
    .max(200, 'name is too long')
    .refine((s) => !hasControlCharacters(s), 'name contains control characters'),
  role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }),
  expiresInDays: z
    .number({ error: 'expires-in-days must be a number' })
    .int('expires-in-days must be a whole number')
    .positive('expires-in-days must be at least 1')
    .max(3650, 'expires-in-days must be at most 3650 (ten years)')
    .nullish(),
  /** A team's name or id: the token reaches that team's queues only (lib/permissions/team-scope.ts). */
  team: ZTeamName.nullish(),
});
export type TCreateApiToken = z.input<typeof ZCreateApiToken>;

/** Creates a token and returns it in clear text (`token`): the only time it is ever shown. */
export async function createApiToken({ actor, ...input }: { actor: TActor } & TCreateApiToken): Promise<TApiToken & { token: string }> {
  requirePermission(actor, 'tokens:manage');
  const { name, role, expiresInDays, team: teamRef } = parseInput(ZCreateApiToken, input);
  const token = generateToken();
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
  const created = await prisma().$transaction(async (tx) => {
    // Locked (FOR SHARE) until commit: a concurrent team delete then sees this token and refuses.
    const [team] = teamRef ? await findTeams(tx, [teamRef]) : [];
    const row = await tx.apiToken.create({
      data: { name, role, tokenHash: hashToken(token), prefix: token.slice(0, 10), createdBy: actorLabel(actor), expiresAt, teamId: team?.id ?? null },
      include: API_TOKEN_INCLUDE,
    });
    const dto = toApiTokenDto(row);
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: 'token.created', subject: `token:${row.id}`, after: toApiTokenAudit(dto) });
    return dto;
  }, AUDITED_TRANSACTION);
  return { ...created, token };
}
