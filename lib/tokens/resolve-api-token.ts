import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { isRole } from '../permissions/roles';
import { loadTeamScope } from '../permissions/team-scope';
import { hashToken, TOKEN_PREFIX } from './token-hash';

/** The actor a bearer token stands for, or null when it is unknown, revoked or expired. */
export async function resolveApiToken(token: string): Promise<Extract<TActor, { kind: 'token' }> | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await prisma().apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date()) || !isRole(row.role)) return null;
  // Last use is informational; at most one write a minute per token.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { kind: 'token', id: row.id, name: row.name, role: row.role, scope: row.teamId ? await loadTeamScope([row.teamId]) : null };
}
