import { describe, expect, it } from 'vitest';
import { MAX_RECONNECT_DELAY_MS, reconnectDelayMs } from './reconnect-delay';

describe('reconnectDelayMs', () => {
  it('doubles from 500 ms up to the 5 s cap, and stays there however long the outage', () => {
    expect([0, 1, 2, 3, 4, 5, 100, 5000].map((a) => reconnectDelayMs(a))).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000, 5000]);
    expect(MAX_RECONNECT_DELAY_MS).toBe(5000);
  });

  it('takes another cap', () => {
    expect([0, 1, 2].map((a) => reconnectDelayMs(a, 800))).toEqual([500, 800, 800]);
  });
});
