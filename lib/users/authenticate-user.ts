import { burnPasswordCheck, verifyPassword } from '../auth/password';
import { prisma } from '../db/prisma';
import { isRole, type TRole } from '../permissions/roles';

export type TAuthenticatedUser = { id: string; email: string; name: string | null; role: TRole; teamScoped: boolean; teamIds: string[] };

/** The user for these credentials, or null. Disabled users and OIDC users cannot sign in with a password. */
export async function authenticateUser({ email, password }: { email: string; password: string }): Promise<TAuthenticatedUser | null> {
  const user = await prisma().user.findUnique({
    where: { email: email.trim().toLowerCase() },
    omit: { passwordHash: false },
    include: { memberships: { select: { teamId: true } } },
  });
  if (!user || user.passwordHash === null) {
    await burnPasswordCheck(password);
    return null;
  }
  const ok = await verifyPassword(password, user.passwordHash);
  if (!ok || user.disabledAt || !isRole(user.role)) return null;
  return toAuthenticated({ ...user, role: user.role });
}

/**
 * The current state of a signed-in user, re-read on every request so disabling, a role
 * change or "sign out everywhere" takes effect at the next request. `issuedAt`: when the
 * session was issued; sessions older than the user's sessions_valid_after are refused.
 */
export async function findActiveUser(id: string, issuedAt?: Date): Promise<TAuthenticatedUser | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const user = await prisma().user.findUnique({ where: { id }, include: { memberships: { select: { teamId: true } } } });
  if (!user || user.disabledAt || !isRole(user.role)) return null;
  if (user.sessionsValidAfter && (!issuedAt || issuedAt < user.sessionsValidAfter)) return null;
  return toAuthenticated({ ...user, role: user.role });
}

function toAuthenticated(user: { id: string; email: string; name: string | null; role: TRole; teamScoped: boolean; memberships: { teamId: string }[] }): TAuthenticatedUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role, teamScoped: user.teamScoped, teamIds: user.memberships.map((m) => m.teamId) };
}
