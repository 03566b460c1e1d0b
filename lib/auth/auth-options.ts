import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { env, oidcSettings, type TEnv, type TOidcSettings } from '../env';
import { log } from '../log';
import { upsertOidcUser } from '../users/upsert-oidc-user';
import { authorizeCredentials, throttledErrorCode } from './authorize-credentials';
import { clientIp } from './client-ip';
import { mapOidcClaims, readGroups } from './map-oidc-claims';
import { oidcProvider } from './oidc-provider';

// next-auth v4 with signed JWT sessions: nothing is held in a web replica's memory, so
// any replica can serve any request. The user row is re-read on every request
// (lib/auth/session.ts), so a disabled user is out at the next request, and a session
// older than SESSION_MAX_AGE_SECONDS is refused there even though next-auth slides the
// cookie's expiry on use. Every sign-in error lands on /login?error=<code>
// (app/login/login-errors.ts says what each means).

const ZCredentials = z.object({ email: z.string().max(320), password: z.string().max(1024) });

export function authOptions(): NextAuthOptions {
  const config = env();
  if (!config.NEXTAUTH_SECRET) {
    throw new Error('NEXTAUTH_SECRET is not set: the web app needs it to sign sessions (see .env.example)');
  }
  const oidc = oidcSettings(config);
  return {
    secret: config.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: config.SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: config.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    providers: [credentialsProvider(config), ...(oidc ? [oidcProvider(oidc)] : [])],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== 'oidc' || !oidc) return true;
        const outcome = await admitOidcUser(oidc, profile as Record<string, unknown> | undefined);
        if (typeof outcome === 'string') return `/login?${new URLSearchParams({ error: outcome })}`;
        // Our user id replaces the provider's subject: next-auth hands this same object to
        // the jwt callback below, which puts it in the session as uid.
        user.id = outcome.userId;
        return true;
      },
      async jwt({ token, user }) {
        // authAt: when this session began, checked against SESSION_MAX_AGE_SECONDS and the
        // user's sessions_valid_after (lib/auth/session.ts).
        if (user) {
          token.uid = user.id;
          token.authAt = Date.now();
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, uid: token.uid, authAt: token.authAt };
      },
    },
  };
}

function credentialsProvider(config: TEnv) {
  const limits = { perEmail: config.LOGIN_MAX_FAILURES_PER_EMAIL, perIp: config.LOGIN_MAX_FAILURES_PER_IP, windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS };
  return CredentialsProvider({
    name: 'Email and password',
    credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
    async authorize(credentials, req) {
      const parsed = ZCredentials.safeParse(credentials);
      if (!parsed.success) return null;
      const ip = clientIp(req?.headers ?? {}, { trustProxy: config.TRUST_PROXY });
      const result = await authorizeCredentials({ ...parsed.data, ip, limits });
      if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name };
      if (result.reason === 'invalid') return null;
      log.warn('sign-in throttled', { email: parsed.data.email.trim().toLowerCase(), ip, retryAfterSeconds: result.retryAfterSeconds });
      // next-auth v4 carries a thrown error's message to the login page as ?error=<message>.
      throw new Error(throttledErrorCode(result.retryAfterSeconds));
    },
  });
}

/** Our user id for these claims (created or updated), or the code saying why not. */
async function admitOidcUser(oidc: TOidcSettings, claims: Record<string, unknown> | undefined): Promise<{ userId: string } | string> {
  try {
    const mapped = mapOidcClaims(claims ?? {}, oidc);
    if (!mapped.ok) {
      log.warn('OIDC sign-in refused', { reason: mapped.refusal, email: claims?.email, groups: [...readGroups(claims ?? {}, oidc.groupsClaim)] });
      return mapped.refusal;
    }
    const managedTeams = [...new Set(oidc.teamMap.map((m) => m.team))];
    const result = await upsertOidcUser({ identity: mapped.identity, issuer: oidc.issuer, managedTeams });
    if (!result.ok) {
      log.warn('OIDC sign-in refused', { reason: result.refusal, email: mapped.identity.email });
      return result.refusal;
    }
    return { userId: result.userId };
  } catch (error) {
    // Thrown errors would reach the URL as their message; say "failed" and keep the detail in the log.
    log.error('OIDC sign-in failed', { error });
    return 'Callback';
  }
}
