import type { TEnv } from '../env';
import { log } from '../log';
import { runPeriodic, type TPeriodic } from '../worker/run-periodic';
import { countInflowStep, newInflowCounterState } from './count-inflow-step';

/**
 * The worker task that keeps inflow_counts: every DLQ_INFLOW_INTERVAL_MS it recounts the
 * recent minutes; after a start it also walks back over the stored messages once, filling
 * minutes nobody counted (a fresh install, or while no worker ran).
 */
export function startInflowCounter(config: TEnv): TPeriodic {
  const state = newInflowCounterState();
  return runPeriodic({
    name: 'inflow-counter',
    intervalMs: config.DLQ_INFLOW_INTERVAL_MS,
    step: async () => {
      const tick = await countInflowStep(state);
      if (tick.backfilled > 0 || tick.pruned > 0) log.debug('inflow-counter: backfilled and pruned', { backfilled: tick.backfilled, pruned: tick.pruned });
      return tick.more;
    },
  });
}
