import type { TEnv } from '../env';
import { log } from '../log';
import { runPeriodic, type TPeriodic } from '../worker/run-periodic';
import { deliverNotifications } from './deliver-notifications';
import { evaluateAlerts } from './evaluate-alerts';

/**
 * The worker's alert tasks: the evaluator (every DLQ_ALERT_INTERVAL_MS) and the webhook
 * deliverer, which it wakes when it queued a notification. Both are safe on every replica.
 */
export function startAlerts(config: TEnv): TPeriodic[] {
  const consoleUrl = config.DLQ_CONSOLE_URL ?? config.NEXTAUTH_URL;
  const deliverer = runPeriodic({
    name: 'alert-webhooks',
    intervalMs: config.DLQ_ALERT_INTERVAL_MS,
    step: async () => {
      const round = await deliverNotifications({ timeoutMs: config.DLQ_WEBHOOK_TIMEOUT_MS, maxAttempts: config.DLQ_WEBHOOK_MAX_ATTEMPTS, allowPrivate: config.DLQ_WEBHOOK_ALLOW_PRIVATE });
      // Again at once after any work: a resolution is claimed only once its firing is delivered.
      return round.claimed > 0;
    },
  });
  const evaluator = runPeriodic({
    name: 'alerts',
    intervalMs: config.DLQ_ALERT_INTERVAL_MS,
    step: async () => {
      const round = await evaluateAlerts({ consoleUrl, intervalMs: config.DLQ_ALERT_INTERVAL_MS });
      if (round.fired > 0 || round.resolved > 0) {
        log.info('alerts: evaluated', { ...round });
        deliverer.wake();
      }
      return false;
    },
  });
  return [evaluator, deliverer];
}
