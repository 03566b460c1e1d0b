import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { hashPassword } from '../auth/password';
import { isUniqueViolation } from '../db/is-unique-violation';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { ROLES } from '../permissions/roles';
import { parseInput } from '../validation/text';

export const ZCreateUser = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('email is not a valid address')),
  password: z.string().min(12, 'password must be at least 12 characters').max(1024, 'password is too long'),
  role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }),
  name: z.string().trim().max(200).optional(),
});
export type TCreateUser = z.input<typeof ZCreateUser>;

export async function createUser({ actor, ...input }: { actor: TActor } & TCreateUser) {
  requirePermission(actor, 'users:manage');
  const { email, password, role, name } = parseInput(ZCreateUser, input);
  const passwordHash = await hashPassword(password);
  const exists = () => new AppError('CONFLICT', `A user with email ${email} already exists`);
  try {
    return await prisma().$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email } })) throw exists();
      const user = await tx.user.create({ data: { email, name, role, passwordHash } });
      await recordAuditEvent(tx, {
        actor: actorLabel(actor), action: 'user.created', subject: `user:${user.id}`, after: { email, role, name: name ?? null },
      });
      return user;
    });
  } catch (error) {
    // Two creates at once: the loser meets the unique index, and gets the same answer.
    if (isUniqueViolation(error)) throw exists();
    throw error;
  }
}
