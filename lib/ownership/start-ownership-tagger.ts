import type { TEnv } from '../env';
import { log } from '../log';
import { runPeriodic, type TPeriodic } from '../worker/run-periodic';
import { tagMessageOwners } from './tag-message-owners';

/** The worker task that tags new messages with their owning team (and auto-redirects them). */
export function startOwnershipTagger(config: Pick<TEnv, 'DLQ_OWNERSHIP_INTERVAL_MS'>): TPeriodic {
  return runPeriodic({
    name: 'ownership',
    intervalMs: config.DLQ_OWNERSHIP_INTERVAL_MS,
    step: async () => {
      const { checked, redirected, failed, more } = await tagMessageOwners();
      if (redirected > 0 || failed > 0) log.info('ownership: auto-redirected messages', { checked, redirected, failed });
      return more;
    },
  });
}
