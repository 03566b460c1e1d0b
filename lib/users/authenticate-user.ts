import { burnPasswordCheck, verifyPassword } from '../auth/password';
import { prisma } from '../db/prisma';
import { isRole, type TRole } from '../permissions/roles';

export type TAuthenticatedUser = { id: string; email: string; name: string | null; role: TRole };

/** The user for these credentials, or null. Disabled users cannot sign in. */
export async function authenticateUser({ email, password }: { email: string; password: string }): Promise<TAuthenticatedUser | null> {
  const user = await prisma().user.findUnique({
    where: { email: email.trim().toLowerCase() },
    omit: { passwordHash: false },
  });
  if (!user) {
    await burnPasswordCheck(password);
    return null;
  }
  const ok = await verifyPassword(password, user.passwordHash);
  if (!ok || user.disabledAt || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The current state of a signed-in user, re-read on every request so disabling takes effect at once. */
export async function findActiveUser(id: string): Promise<TAuthenticatedUser | null> {
  const user = await prisma().user.findUnique({ where: { id } });
  if (!user || user.disabledAt || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
