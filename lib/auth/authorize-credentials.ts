import { authenticateUser, type TAuthenticatedUser } from '../users/authenticate-user';
import { clearLoginFailures, takeLoginAttempt, type TThrottleLimits } from './login-throttle';

// A password sign-in: throttled first (a throttled attempt never reaches the password
// check, so even the right password is refused until the window ends), then checked.

export type TCredentialsResult =
  | { ok: true; user: TAuthenticatedUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export async function authorizeCredentials({ email, password, ip, limits }: {
  email: string;
  password: string;
  /** The client address, or null when it cannot be known (lib/auth/client-ip.ts). */
  ip: string | null;
  limits: TThrottleLimits;
}): Promise<TCredentialsResult> {
  const attempt = await takeLoginAttempt({ email, ip, limits });
  if (!attempt.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
  const user = await authenticateUser({ email, password });
  if (!user) return { ok: false, reason: 'invalid' };
  await clearLoginFailures({ email, ip, limits });
  return { ok: true, user };
}

/** The error next-auth carries to the login page as ?error=…; app/login/login-errors.ts reads it back. */
export function throttledErrorCode(retryAfterSeconds: number) {
  return `LoginThrottled:${Math.max(1, Math.ceil(retryAfterSeconds / 60))}`;
}
