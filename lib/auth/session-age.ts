// next-auth re-issues a JWT session cookie with a fresh expiry on every session read, so
// a session in steady use would never end. Sessions therefore also carry authAt (when the
// operator signed in) and are refused SESSION_MAX_AGE_SECONDS after it, used or not.

/** True when the session began too long ago, or its start is unknown (or in the future). */
export function isSessionExpired({ authAt, maxAgeSeconds, now = Date.now() }: { authAt: unknown; maxAgeSeconds: number; now?: number }): boolean {
  if (typeof authAt !== 'number' || !Number.isFinite(authAt)) return true;
  // A minute of clock skew between web replicas is tolerated; more means a forged or broken value.
  if (authAt > now + 60_000) return true;
  return now - authAt >= maxAgeSeconds * 1000;
}
