import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { hashPassword } from '../auth/password';
import { isUniqueViolation } from '../db/is-unique-violation';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { findTeams } from '../teams/find-teams';
import { parseInput } from '../validation/text';
import { findUser } from './find-user-for-change';
import { replaceUserTeams } from './replace-user-teams';
import { toUserAudit, ZEmail, ZPassword, ZRole, ZTeamRefs, ZTeamScoped, ZUserName, type TUser } from './user-dto';

/** The body of POST /api/v1/users: a user who signs in with a password here. */
export const ZCreateUser = z.strictObject({
  email: ZEmail,
  password: ZPassword,
  role: ZRole,
  name: ZUserName.nullish(),
  /** Teams by name or id. */
  teams: ZTeamRefs.optional(),
  teamScoped: ZTeamScoped.optional(),
});
export type TCreateUser = z.input<typeof ZCreateUser>;

export async function createUser({ actor, ...input }: { actor: TActor } & TCreateUser): Promise<TUser> {
  requirePermission(actor, 'users:manage');
  const { email, password, role, name, teams: teamRefs = [], teamScoped = false } = parseInput(ZCreateUser, input);
  const passwordHash = await hashPassword(password);
  const exists = () => new AppError('CONFLICT', `A user with email ${email} already exists`);
  try {
    return await prisma().$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email } })) throw exists();
      const teams = await findTeams(tx, teamRefs);
      const row = await tx.user.create({ data: { email, name: name ?? null, role, passwordHash, teamScoped } });
      await replaceUserTeams(tx, row.id, teams.map((t) => t.id));
      const user = await findUser(tx, { id: row.id });
      await recordAuditEvent(tx, { actor: actorLabel(actor), action: 'user.created', subject: `user:${user.id}`, after: toUserAudit(user) });
      return user;
    }, AUDITED_TRANSACTION);
  } catch (error) {
    // Two creates at once: the loser meets the unique index, and gets the same answer.
    if (isUniqueViolation(error)) throw exists();
    throw error;
  }
}
