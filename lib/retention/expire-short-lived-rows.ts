import { prisma } from '../db/prisma';

// Rows that only matter for a while: answers kept for Idempotency-Key retries, and login
// throttle counts whose window has ended. Deleted in batches, SKIP LOCKED so a request
// using one is never waited on; not audited (they record no change anyone made).

export async function expireShortLivedRows({ batchSize, idempotencyTtlHours, throttleWindowSeconds }: {
  batchSize: number;
  idempotencyTtlHours: number;
  throttleWindowSeconds: number;
}): Promise<{ idempotentRequests: number; loginThrottle: number; more: boolean }> {
  const db = prisma();
  const idempotentRequests = await db.$executeRaw`
    DELETE FROM idempotent_requests WHERE (actor, key) IN (
      SELECT actor, key FROM idempotent_requests
      WHERE created_at < now() - make_interval(hours => ${idempotencyTtlHours}::int)
      ORDER BY created_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`;
  const loginThrottle = await db.$executeRaw`
    DELETE FROM login_throttle WHERE key IN (
      SELECT key FROM login_throttle
      WHERE window_start <= now() - make_interval(secs => ${throttleWindowSeconds}::int)
      LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)`;
  return { idempotentRequests, loginThrottle, more: idempotentRequests === batchSize || loginThrottle === batchSize };
}
