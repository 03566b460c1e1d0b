import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runPeriodic } from './run-periodic';

beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }); });
afterEach(() => { vi.useRealTimers(); });

/** A task whose steps take `stepMs` and report more work for the first `busy` steps; when each started. */
function task(stepMs: number, busy: number, maxBusyShare?: number) {
  const starts: number[] = [];
  const periodic = runPeriodic({
    name: 'test',
    intervalMs: 10_000,
    maxBusyShare,
    step: async () => {
      starts.push(performance.now());
      await new Promise((r) => setTimeout(r, stepMs));
      return starts.length <= busy;
    },
  });
  return { starts, periodic };
}

const gaps = (starts: number[]) => starts.slice(1).map((t, i) => Math.round(t - starts[i]!));

/** Stops it, letting a step that is running finish on the fake clock. */
async function stop(periodic: { stop(): Promise<void> }) {
  const stopped = periodic.stop();
  await vi.advanceTimersByTimeAsync(5000);
  await stopped;
}

describe('runPeriodic', () => {
  it('runs the next step at once while there is more, then waits the interval', async () => {
    const { starts, periodic } = task(100, 3);
    await vi.advanceTimersByTimeAsync(10_500);
    expect(gaps(starts)).toEqual([100, 100, 100, 10_100]);
    await stop(periodic);
  });

  it('with maxBusyShare, pauses after each busy step so steps take that share of the time', async () => {
    const { starts, periodic } = task(100, 3, 0.2);
    await vi.advanceTimersByTimeAsync(11_600);
    // 100 ms of work, 400 ms of rest; the interval once there is no more.
    expect(gaps(starts)).toEqual([500, 500, 500, 10_100]);
    await stop(periodic);
  });

  it('never pauses longer than the interval', async () => {
    // 3 s of work at a fifth of the time would be a 12 s pause; the interval is 10 s.
    const { starts, periodic } = task(3000, 2, 0.2);
    await vi.advanceTimersByTimeAsync(39_100);
    expect(gaps(starts)).toEqual([13_000, 13_000, 13_000]);
    await stop(periodic);
  });

  it('stop() ends a pause at once', async () => {
    const { starts, periodic } = task(100, 100, 0.01);
    await vi.advanceTimersByTimeAsync(150);
    const stopped = periodic.stop();
    await vi.advanceTimersByTimeAsync(0);
    await stopped;
    expect(starts).toHaveLength(1);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => runPeriodic({ name: 'test', intervalMs: 1000, step: async () => false, maxBusyShare: 0 })).toThrow(/maxBusyShare must be in \(0, 1\]/);
    expect(() => runPeriodic({ name: 'test', intervalMs: 1000, step: async () => false, maxBusyShare: 1.5 })).toThrow(/maxBusyShare/);
  });
});
