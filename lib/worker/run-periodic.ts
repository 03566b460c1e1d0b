import { log } from '../log';

// A background task of the worker (classifier, bulk jobs, ownership tagging, retention):
// runs `step` again while it reports more work (at once, or after a pause that keeps it to
// maxBusyShare of the time), otherwise every intervalMs; an error is logged and retried
// with backoff, never fatal. Every replica runs every task, so a step must be safe to run
// on several at once (SKIP LOCKED claims, leases).

export type TPeriodic = { name: string; stop(): Promise<void>; /** Run the next step now instead of waiting. */ wake(): void };

const MAX_BACKOFF_MS = 30_000;

export function runPeriodic({ name, intervalMs, step, maxBusyShare = 1 }: {
  name: string;
  intervalMs: number;
  /** One bounded unit of work; true when there is more to do right away. */
  step: () => Promise<boolean>;
  /**
   * While steps report more, the share of wall time they may take: after a step of d ms the
   * next waits d x (1 / share - 1) ms, never longer than intervalMs. 1 (the default): the
   * next step starts at once.
   */
  maxBusyShare?: number;
}): TPeriodic {
  if (!(maxBusyShare > 0 && maxBusyShare <= 1)) throw new Error(`${name}: maxBusyShare must be in (0, 1], not ${maxBusyShare}`);
  let stopped = false;
  let wake: () => void = () => {};
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    wake = () => { clearTimeout(t); resolve(); };
  });
  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let more = false;
      const began = performance.now();
      try {
        more = await step();
        failures = 0;
      } catch (error) {
        const delay = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** failures++);
        log.error(`${name}: step failed; retrying`, { delayMs: delay, error });
        if (!stopped) await sleep(delay);
        continue;
      }
      if (stopped) continue;
      if (!more) await sleep(intervalMs);
      else if (maxBusyShare < 1) await sleep(Math.min(intervalMs, (performance.now() - began) * (1 / maxBusyShare - 1)));
    }
  })();
  return {
    name,
    wake: () => wake(),
    async stop() {
      stopped = true;
      wake();
      await loop;
    },
  };
}
