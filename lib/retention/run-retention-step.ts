import type { TEnv } from '../env';
import { log } from '../log';
import { expireShortLivedRows } from './expire-short-lived-rows';
import { purgeExpiredMessages } from './purge-expired-messages';

/** The worker's retention task: one batch of each; true when a batch was full and more may wait. */
export async function runRetentionStep(config: Pick<TEnv, 'DLQ_RETENTION_BATCH' | 'DLQ_IDEMPOTENCY_TTL_HOURS' | 'LOGIN_THROTTLE_WINDOW_SECONDS'>): Promise<boolean> {
  const purge = await purgeExpiredMessages({ batchSize: config.DLQ_RETENTION_BATCH });
  if (purge.purged > 0) log.info('retention: purged messages', { total: purge.purged });
  const expired = await expireShortLivedRows({
    batchSize: config.DLQ_RETENTION_BATCH, idempotencyTtlHours: config.DLQ_IDEMPOTENCY_TTL_HOURS, throttleWindowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
  });
  if (expired.idempotentRequests > 0 || expired.loginThrottle > 0) log.debug('retention: expired short-lived rows', { idempotentRequests: expired.idempotentRequests, loginThrottle: expired.loginThrottle });
  return purge.more || expired.more;
}
