import 'server-only';
import { getServerSession } from 'next-auth';
import type { TActor } from '../actor';
import { env } from '../env';
import { loadTeamScope } from '../permissions/team-scope';
import { resolveApiToken } from '../tokens/resolve-api-token';
import { findActiveUser } from '../users/authenticate-user';
import { authOptions } from './auth-options';
import { isSessionExpired } from './session-age';

export type TSessionActor = Extract<TActor, { kind: 'user' }>;

/** The signed-in operator of this request (cookie session), or null. */
export async function getSessionActor(): Promise<TSessionActor | null> {
  const session = (await getServerSession(authOptions())) as { uid?: unknown; authAt?: unknown } | null;
  if (typeof session?.uid !== 'string') return null;
  if (isSessionExpired({ authAt: session.authAt, maxAgeSeconds: env().SESSION_MAX_AGE_SECONDS })) return null;
  const issuedAt = new Date(session.authAt as number);
  const user = await findActiveUser(session.uid, issuedAt);
  if (!user) return null;
  return {
    kind: 'user', id: user.id, email: user.email, role: user.role,
    scope: user.teamScoped ? await loadTeamScope(user.teamIds) : null,
  };
}

/** A bearer token wins over the cookie, so scripts never act as whoever is signed in. */
export async function resolveActor(request: Request): Promise<TActor | null> {
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? resolveApiToken(match[1]!) : null;
  }
  return getSessionActor();
}
