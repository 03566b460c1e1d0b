import 'server-only';
import { getServerSession } from 'next-auth';
import type { TActor } from '../actor';
import { resolveApiToken } from '../tokens/resolve-api-token';
import { findActiveUser } from '../users/authenticate-user';
import { authOptions } from './auth-options';

/** The signed-in operator of this request (cookie session), or null. */
export async function getSessionActor(): Promise<Extract<TActor, { kind: 'user' }> | null> {
  const session = (await getServerSession(authOptions())) as { uid?: unknown } | null;
  if (typeof session?.uid !== 'string') return null;
  const user = await findActiveUser(session.uid);
  return user ? { kind: 'user', id: user.id, email: user.email, role: user.role } : null;
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
