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
 * The worker task that keeps inflow_counts: every DLQ_INFLOW_INTERVAL_MS it recounts the
 * recent minutes; while minutes nobody counted remain (lib/dashboard/count-inflow-step.ts),
 * it fills them a chunk per step, pausing between steps, and recounts only every interval.
 */
export function startInflowCounter(config: TEnv): TPeriodic {
  const due = recountSchedule(config.DLQ_INFLOW_INTERVAL_MS);
  return runPeriodic({
    name: 'inflow-counter',
    intervalMs: config.DLQ_INFLOW_INTERVAL_MS,
    maxBusyShare: INFLOW_CATCH_UP_SHARE,
    step: async () => {
      const recount = due.now(performance.now());
      const tick = await countInflowStep(undefined, { recount });
      due.done(performance.now(), { recounted: tick.locked && recount, more: tick.more });
      if (tick.backfilled > 0 || tick.pruned > 0) log.debug('inflow-counter: backfilled and pruned', { backfilled: tick.backfilled, pruned: tick.pruned });
      return tick.more;
    },
  });
}

/**
 * When a step recounts: the first, every one after an idle wait (a whole interval, even if
 * the timer fired a little early), and during a catch-up one per interval.
 */
export function recountSchedule(intervalMs: number) {
  let recountedAt = -Infinity;
  let catchingUp = false;
  return {
    now: (at: number) => !catchingUp || at - recountedAt >= intervalMs,
    done(at: number, { recounted, more }: { recounted: boolean; more: boolean }) {
      if (recounted) recountedAt = at;
      catchingUp = more;
    },
  };
}
