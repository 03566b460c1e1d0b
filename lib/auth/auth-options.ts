import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { env } from '../env';
import { authenticateUser } from '../users/authenticate-user';

// next-auth v4 with signed JWT sessions: nothing is held in a web replica's memory, so
// any replica can serve any request. The user row is re-read on every API call
// (lib/auth/session.ts), so a disabled user is out at the next request.

const ZCredentials = z.object({ email: z.string().max(320), password: z.string().max(1024) });

export function authOptions(): NextAuthOptions {
  const config = env();
  if (!config.NEXTAUTH_SECRET) {
    throw new Error('NEXTAUTH_SECRET is not set: the web app needs it to sign sessions (see .env.example)');
  }
  return {
    secret: config.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: config.SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: config.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials) {
          const parsed = ZCredentials.safeParse(credentials);
          if (!parsed.success) return null;
          const user = await authenticateUser(parsed.data);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        // authAt: when this session began, checked against the user's sessions_valid_after.
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
