import { z } from 'zod';
import type { Prisma } from '../db/generated/client';
import { ROLES } from '../permissions/roles';
import { ZTeamName } from '../teams/team-dto';
import { hasControlCharacters } from '../validation/text';

// A console user as the admin pages, the API and the CLI see it: never its password hash.

export const ZEmail = z
  .string({ error: (issue) => (issue.input === undefined ? 'email is required' : 'email must be a string') })
  .trim()
  .toLowerCase()
  .max(320, 'email is longer than 320 characters')
  .pipe(z.email('email is not a valid address'));

export const ZPassword = z
  .string({ error: (issue) => (issue.input === undefined ? 'password is required' : 'password must be a string') })
  .min(12, 'password must be at least 12 characters')
  .max(1024, 'password is too long');

export const ZRole = z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}` });

/** Empty means none. */
export const ZUserName = z
  .string({ error: 'name must be a string' })
  .trim()
  .max(200, 'name is longer than 200 characters')
  .refine((s) => !hasControlCharacters(s), 'name contains control characters')
  .transform((s) => s || null);

/** Teams by name or id; the list replaces the user's teams. */
export const ZTeamRefs = z
  .array(ZTeamName, { error: 'teams must be a list of team names or ids' })
  .max(100, 'teams lists more than 100 teams');

export const ZTeamScoped = z.boolean({ error: 'teamScoped must be true or false' });

/** The body of PATCH /api/v1/users/{id}: only the fields given change. */
export const ZUserUpdate = z
  .strictObject({ name: ZUserName.nullish(), role: ZRole.optional(), teamScoped: ZTeamScoped.optional(), teams: ZTeamRefs.optional() })
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'nothing to change: give a name, a role, teamScoped or teams');
export type TUserUpdate = z.input<typeof ZUserUpdate>;

export type TUser = {
  id: string;
  email: string;
  name: string | null;
  role: string;
  /** 'credentials' (a password here) or 'oidc' (the identity provider signs them in). */
  authProvider: string;
  /** Sees and acts on its teams' queues only. */
  teamScoped: boolean;
  teams: { id: string; name: string }[];
  disabled: boolean;
  disabledAt: string | null;
  /** Sessions issued before this are refused. */
  sessionsValidAfter: string | null;
  createdAt: string;
  updatedAt: string;
};

export const USER_INCLUDE = {
  memberships: { select: { team: { select: { id: true, name: true } } } },
} as const satisfies Prisma.UserInclude;

type TUserRow = Prisma.UserGetPayload<{ include: typeof USER_INCLUDE; omit: { passwordHash: true } }>;

export function toUserDto(row: TUserRow): TUser {
  return {
    id: row.id, email: row.email, name: row.name, role: row.role, authProvider: row.authProvider, teamScoped: row.teamScoped,
    teams: row.memberships.map((m) => m.team).sort((a, b) => a.name.localeCompare(b.name)),
    disabled: row.disabledAt !== null, disabledAt: row.disabledAt?.toISOString() ?? null,
    sessionsValidAfter: row.sessionsValidAfter?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

/** The user as the audit trail keeps it: who they are and what they may do. */
export function toUserAudit(user: TUser) {
  return { email: user.email, name: user.name, role: user.role, teamScoped: user.teamScoped, teams: user.teams.map((t) => t.name), disabled: user.disabled };
}
