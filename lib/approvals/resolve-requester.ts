import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { isRole } from '../permissions/roles';
import { loadTeamScope } from '../permissions/team-scope';
import { findActiveUser } from '../users/authenticate-user';

// An approved request runs as the person (or token) who asked for it, as they stand now:
// their current role and team scope, so an approval never outlives the requester's own
// right to do the action. Null, with the reason, when they cannot act any more.

export type TRequester = { actor: TActor } | { actor: null; why: string };

export async function resolveRequester(key: string, label: string): Promise<TRequester> {
  const [kind, ...rest] = key.split(':');
  const id = rest.join(':');
  if (kind === 'user') {
    // Not a sign-in: "sign out everywhere" ends their sessions, not their standing.
    const user = await findActiveUser(id, new Date());
    if (!user) return { actor: null, why: `The requester ${label} is disabled or no longer exists` };
    return {
      actor: { kind: 'user', id: user.id, email: user.email, role: user.role, scope: user.teamScoped ? await loadTeamScope(user.teamIds) : null },
    };
  }
  if (kind === 'token') {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await prisma().apiToken.findUnique({ where: { id } }) : null;
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date()) || !isRole(row.role)) {
      return { actor: null, why: `The requesting token ${label} is revoked, expired or deleted` };
    }
    return { actor: { kind: 'token', id: row.id, name: row.name, role: row.role, scope: row.teamId ? await loadTeamScope([row.teamId]) : null } };
  }
  if (kind === 'system') {
    // "system:cli (ana@host)": the CLI and the worker run with database access already.
    const match = /^system:(worker|cli)(?: \((.*)\))?$/.exec(key);
    if (match) return { actor: { kind: 'system', name: match[1] as 'worker' | 'cli', ...(match[2] ? { by: match[2] } : {}) } };
  }
  return { actor: null, why: `The requester ${label} cannot be found` };
}
