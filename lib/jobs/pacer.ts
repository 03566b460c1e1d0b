// A bulk job's pace (docs/decisions/0016-bulk-jobs.md): starts are spaced 1/rate seconds
// apart on a schedule that runs at the job's rate. When the job falls behind it (a slow
// commit, a vacuum, a collection pause), the starts it missed are made up, up to
// CATCH_UP_MS of them, at no more than MAX_BURST times the rate, so the rate holds over
// the job's run and no second gets much more than MAX_BURST times it. What fell further
// behind than CATCH_UP_MS is forgotten: an outage does not turn into a long burst after.

/** How far behind its schedule a job may fall and still make the starts up. */
export const CATCH_UP_MS = 3000;
/** How much faster than its rate a job makes up what it missed. */
export const MAX_BURST = 1.5;

export type TPacerClock = { now(): number; sleep(ms: number): Promise<void> };

const realClock: TPacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Resolves when `items` more may start: call it before each start (or batch of starts). */
export type TPace = (items?: number) => Promise<void>;

export function pacer(ratePerSecond: number, clock: TPacerClock = realClock): TPace {
  const spacing = 1000 / ratePerSecond;
  const fastest = spacing / MAX_BURST;
  // `due`: when the next start is due at the job's rate. `free`: the earliest the next may
  // start at MAX_BURST times the rate, after the starts already granted.
  let due = clock.now();
  let free = due;
  return async (items = 1) => {
    const now = clock.now();
    const scheduled = Math.max(due, now - CATCH_UP_MS);
    const at = Math.max(scheduled, free, now);
    due = scheduled + items * spacing;
    free = at + items * fastest;
    if (at > now) await clock.sleep(at - now);
  };
}
