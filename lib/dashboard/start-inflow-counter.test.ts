import { describe, expect, it } from 'vitest';
import { recountSchedule } from './start-inflow-counter';

describe('recountSchedule', () => {
  it('recounts on the first step and on every step after an idle wait, even one that ended a little early', () => {
    const due = recountSchedule(15_000);
    expect(due.now(0)).toBe(true);
    due.done(10, { recounted: true, more: false });
    // The idle wait's timer fired 1 ms before a whole interval had passed.
    expect(due.now(15_009)).toBe(true);
  });

  it('during a catch-up, recounts once per interval', () => {
    const due = recountSchedule(15_000);
    expect(due.now(0)).toBe(true);
    due.done(100, { recounted: true, more: true });
    expect(due.now(500)).toBe(false);
    due.done(600, { recounted: false, more: true });
    expect(due.now(15_099)).toBe(false);
    expect(due.now(15_100)).toBe(true);
    due.done(15_200, { recounted: true, more: true });
    expect(due.now(16_000)).toBe(false);
  });

  it('a step that did not get the lock (another replica counted) leaves the next one to recount', () => {
    const due = recountSchedule(15_000);
    due.done(100, { recounted: false, more: false });
    expect(due.now(200)).toBe(true);
  });
});
