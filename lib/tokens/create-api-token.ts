import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { ROLES } from '../permissions/roles';
import { hasControlCharacters, parseInput } from '../validation/text';
import { generateToken, hashToken } from './token-hash';

export const ZCreateApiToken = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'name is empty')
    .max(200, 'name is too long')
    .refine((s) => !hasControlCharacters(s), 'name contains control characters'),
  role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }),
  expiresInDays: z
    .number()
    .int('expires-in-days must be a whole number')
    .positive('expires-in-days must be at least 1')
    .max(3650, 'expires-in-days must be at most 3650 (ten years)')
    .optional(),
});

/** Creates a token and returns it in clear text: the only time it is ever shown. */
export async function createApiToken({ actor, ...input }: { actor: TActor } & z.input<typeof ZCreateApiToken>) {
  requirePermission(actor, 'tokens:manage');
  const { name, role, expiresInDays } = parseInput(ZCreateApiToken, input);
  const token = generateToken();
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
  const row = await prisma().$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { name, role, tokenHash: hashToken(token), prefix: token.slice(0, 10), createdBy: actorLabel(actor), expiresAt },
    });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'token.created', subject: `token:${created.id}`,
      after: { name, role, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { id: row.id, name, role, expiresAt, token };
}
