import { log } from '../log';

// A background task of the worker (classifier, bulk jobs, ownership tagging, retention):
// runs `step` again at once while it reports more work, otherwise every intervalMs; an
// error is logged and retried with backoff, never fatal. Every replica runs every task, so
// a step must be safe to run on several at once (SKIP LOCKED claims, leases).

export type TPeriodic = { name: string; stop(): Promise<void>; /** Run the next step now instead of waiting. */ wake(): void };

const MAX_BACKOFF_MS = 30_000;

export function runPeriodic({ name, intervalMs, step }: {
  name: string;
  intervalMs: number;
  /** One bounded unit of work; true when there is more to do right away. */
  step: () => Promise<boolean>;
}): TPeriodic {
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
      try {
        more = await step();
        failures = 0;
      } catch (error) {
        const delay = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** failures++);
        log.error(`${name}: step failed; retrying`, { delayMs: delay, error });
        if (!stopped) await sleep(delay);
        continue;
      }
      if (!more && !stopped) await sleep(intervalMs);
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
