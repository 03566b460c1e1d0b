import { describe, expect, it } from 'vitest';
import { CATCH_UP_MS, MAX_BURST, pacer, type TPacerClock } from './pacer';

// The pacer on a virtual clock: time moves only when the pacer sleeps or the simulated
// work takes time, so the schedules below are exact, whatever the machine's load.

function virtualClock(): TPacerClock & { advance(ms: number): void } {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms) => { t += ms; },
    advance: (ms) => { t += ms; },
  };
}

/** One lane: pace a batch, then work on it for workMs(batch index) of virtual time. Returns each batch's start. */
async function run({ rate, batch, until, workMs }: { rate: number; batch: number; until: number; workMs: (i: number, at: number) => number }) {
  const clock = virtualClock();
  const pace = pacer(rate, clock);
  const starts: number[] = [];
  for (let i = 0; clock.now() < until; i++) {
    await pace(batch);
    const at = clock.now();
    if (at >= until) break;
    starts.push(at);
    clock.advance(workMs(i, at));
  }
  const startedBy = (t: number) => starts.filter((s) => s < t).length * batch;
  /** The most items started in any window of windowMs (windows start at a batch's start). */
  const busiest = (windowMs: number) => Math.max(...starts.map((s) => startedBy(s + windowMs) - startedBy(s)));
  return { starts, startedBy, busiest };
}

describe('pacer', () => {
  it('spaces starts at the rate, with no burst at the start', async () => {
    const { startedBy, busiest } = await run({ rate: 1000, batch: 50, until: 10_000, workMs: () => 10 });
    expect(startedBy(10_000)).toBe(10_000);
    expect(busiest(1000)).toBe(1000);
  });

  it('makes up a 2 s stall at no more than the burst rate, then holds the rate', async () => {
    // The batch started at 3 s takes 2 s (a vacuum, a slow commit): 2,000 starts missed.
    const { startedBy, busiest } = await run({ rate: 1000, batch: 50, until: 20_000, workMs: (_, at) => (at === 3000 ? 2000 : 10) });
    expect(startedBy(5000)).toBe(3050);
    // Made up at 1.5x: 500 more per second, so about 4 s to catch up the 1,950.
    expect(startedBy(7000)).toBeGreaterThan(6000);
    expect(startedBy(7000)).toBeLessThan(7000);
    expect(startedBy(10_000)).toBeGreaterThanOrEqual(10_000 - 50);
    expect(startedBy(20_000)).toBe(20_000);
    expect(busiest(1000)).toBeLessThanOrEqual(1000 * MAX_BURST + 50);
    expect(busiest(1000)).toBeGreaterThan(1000 * 1.4);
  });

  it('forgets what fell more than CATCH_UP_MS behind: an outage does not become a long burst', async () => {
    const stall = 10_000;
    const { startedBy, busiest } = await run({ rate: 1000, batch: 50, until: 40_000, workMs: (_, at) => (at === 3000 ? stall : 10) });
    const forgotten = stall - CATCH_UP_MS;
    expect(startedBy(40_000)).toBeGreaterThanOrEqual(40_000 - forgotten - 50);
    expect(startedBy(40_000)).toBeLessThanOrEqual(40_000 - forgotten + 50);
    expect(busiest(1000)).toBeLessThanOrEqual(1000 * MAX_BURST + 50);
  });

  it('cannot run ahead of the rate when the work is fast', async () => {
    const { startedBy } = await run({ rate: 200, batch: 10, until: 30_000, workMs: () => 0 });
    expect(startedBy(30_000)).toBe(6000);
  });

  it('runs as fast as the work allows when the work cannot keep the rate, and no faster after', async () => {
    // 100 ms per batch of 50 = 500/s against a rate of 1,000/s for the first 10 s, then fast.
    const { startedBy, busiest } = await run({ rate: 1000, batch: 50, until: 30_000, workMs: (_, at) => (at < 10_000 ? 100 : 1) });
    expect(startedBy(10_000)).toBe(5000);
    // Only CATCH_UP_MS of the 5 s lost is made up.
    expect(startedBy(30_000)).toBeGreaterThanOrEqual(30_000 - 5000 + CATCH_UP_MS - 100);
    expect(startedBy(30_000)).toBeLessThanOrEqual(30_000 - 5000 + CATCH_UP_MS + 100);
    expect(busiest(1000)).toBeLessThanOrEqual(1000 * MAX_BURST + 50);
  });
});
