import type { TEnv } from '../env';
import { log } from '../log';
import { runPeriodic, type TPeriodic } from '../worker/run-periodic';
import { countInflowStep } from './count-inflow-step';

/**
 * The share of time the counter's catch-up may take: filling uncounted minutes (history on
 * a fresh install or after an upgrade, the gap left while no worker ran) reads stored
 * messages an hour at a time, and on a large store back-to-back steps would take a core of
 * PostgreSQL from ingest, replays and the console for minutes.
 */
export const INFLOW_CATCH_UP_SHARE = 0.2;

/**
 * The worker task that keeps inflow_counts: every DLQ_INFLOW_INTERVAL_MS it counts the
 * minutes that settled since the last step; while minutes nobody counted remain
 * (lib/dashboard/count-inflow-step.ts), it fills them a chunk per step, pausing between steps.
 */
export function startInflowCounter(config: TEnv): TPeriodic {
  return runPeriodic({
    name: 'inflow-counter',
    intervalMs: config.DLQ_INFLOW_INTERVAL_MS,
    maxBusyShare: INFLOW_CATCH_UP_SHARE,
    step: async () => {
      const tick = await countInflowStep();
      if (tick.backfilled > 0 || tick.pruned > 0) log.debug('inflow-counter: backfilled and pruned', { backfilled: tick.backfilled, pruned: tick.pruned });
      return tick.more;
    },
  });
}
