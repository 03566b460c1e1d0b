import { createHash, timingSafeEqual } from 'node:crypto';

// GET /api/metrics is for Prometheus, not operators: one shared bearer token from the
// environment, compared in constant time (both sides hashed first, so neither the length
// nor a prefix of the token leaks through timing).

export type TMetricsAccess = 'disabled' | 'unauthorized' | 'ok';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function checkMetricsToken(authorization: string | null, configured: string | undefined): TMetricsAccess {
  if (!configured) return 'disabled';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return 'unauthorized';
  return timingSafeEqual(digest(match[1]!), digest(configured)) ? 'ok' : 'unauthorized';
}
