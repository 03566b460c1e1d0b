import { prisma } from '../db/prisma';

// Login throttling: password sign-ins counted per 'email:<address>' and per 'ip:<address>'
// in fixed windows, in PostgreSQL so every web replica shares the counts. An attempt is
// counted BEFORE its password is checked (one atomic upsert), so twenty guesses sent at
// once still get at most the limit of password checks; a success takes its count back.
// Design and trade-offs: docs/decisions/0013-authentication.md.

export type TThrottleLimits = { perEmail: number; perIp: number; windowSeconds: number };
export type TLoginAttempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

type TRow = { key: string; failures: number; retry_after: number };

/**
 * Counts one attempt for the email and (when known) the client address, and says whether
 * it may go on to the password check. While either key is over its limit the answer is
 * no, whatever the password, until that key's window ends.
 */
export async function takeLoginAttempt({ email, ip, limits }: { email: string; ip: string | null; limits: TThrottleLimits }): Promise<TLoginAttempt> {
  const keys = ip ? [emailKey(email), ipKey(ip)] : [emailKey(email)];
  // Keys in a fixed order, so two attempts never lock the same two rows the other way round.
  const rows = await prisma().$queryRaw<TRow[]>`
    INSERT INTO login_throttle AS t (key, window_start, failures)
    SELECT k, now(), 1 FROM unnest(${keys}::text[]) AS k
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN t.window_start <= now() - make_interval(secs => ${limits.windowSeconds}) THEN now() ELSE t.window_start END,
      failures     = CASE WHEN t.window_start <= now() - make_interval(secs => ${limits.windowSeconds}) THEN 1 ELSE t.failures + 1 END
    RETURNING key, failures,
      GREATEST(0, CEIL(EXTRACT(EPOCH FROM (window_start + make_interval(secs => ${limits.windowSeconds}) - now()))))::int AS retry_after`;
  const over = rows.filter((r) => r.failures > (r.key.startsWith('ip:') ? limits.perIp : limits.perEmail));
  if (over.length === 0) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, ...over.map((r) => r.retry_after)) };
}

/**
 * After a correct password: the email starts afresh, the address gets this attempt back
 * (not a reset: one valid account must not let a guesser clear its address's count).
 * Windows that have ended are deleted here, so the table holds only live counts.
 */
export async function clearLoginFailures({ email, ip, limits }: { email: string; ip: string | null; limits: TThrottleLimits }): Promise<void> {
  const db = prisma();
  await db.$executeRaw`DELETE FROM login_throttle WHERE key = ${emailKey(email)}`;
  if (ip) await db.$executeRaw`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ${ipKey(ip)}`;
  // SKIP LOCKED: never wait on (or deadlock with) an attempt counting one of these rows.
  await db.$executeRaw`
    DELETE FROM login_throttle WHERE key IN (
      SELECT key FROM login_throttle WHERE window_start <= now() - make_interval(secs => ${limits.windowSeconds}) FOR UPDATE SKIP LOCKED)`;
}
