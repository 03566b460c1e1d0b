import { describe, expect, it } from 'vitest';
import { DAY_MS, baselineOf, baselineWindows, bucketStart, median, rangeBuckets, ratioOf, verdictOf } from './baseline';

const at = (iso: string) => new Date(iso);

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones; null for nothing', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([0, 0, 0, 100, 0, 0, 0])).toBe(0);
  });
});

describe('rangeBuckets', () => {
  const now = at('2026-11-29T03:07:42.123Z');
  it('1h: 60 minutes, the last one holding now', () => {
    const r = rangeBuckets('1h', now);
    expect(r.unit).toBe('minute');
    expect(r.starts).toHaveLength(60);
    expect(r.starts[59]).toEqual(at('2026-11-29T03:07:00Z'));
    expect(r.from).toEqual(at('2026-11-29T02:08:00Z'));
    expect(r.to).toEqual(at('2026-11-29T03:08:00Z'));
  });
  it('24h and 7d: whole hours, the last one holding now', () => {
    const d = rangeBuckets('24h', now);
    expect([d.unit, d.starts.length, d.starts[0], d.starts[23], d.to]).toEqual(['hour', 24, at('2026-11-28T04:00:00Z'), at('2026-11-29T03:00:00Z'), at('2026-11-29T04:00:00Z')]);
    const w = rangeBuckets('7d', now);
    expect([w.starts.length, w.from, w.to]).toEqual([168, at('2026-11-22T04:00:00Z'), at('2026-11-29T04:00:00Z')]);
  });
  it('bucketStart truncates in UTC', () => {
    expect(bucketStart(now, 'minute')).toEqual(at('2026-11-29T03:07:00Z'));
    expect(bucketStart(now, 'hour')).toEqual(at('2026-11-29T03:00:00Z'));
  });
});

describe('baselines', () => {
  const start = at('2026-11-29T03:00:00Z');
  const dayBefore = (d: number) => new Date(start.getTime() - d * DAY_MS).getTime();

  it('windows: the same window on each of the 7 previous days, today first', () => {
    const w = baselineWindows(start, at('2026-11-29T04:00:00Z'));
    expect(w).toHaveLength(8);
    expect(w[0]).toEqual({ from: start, to: at('2026-11-29T04:00:00Z') });
    expect(w[7]).toEqual({ from: at('2026-11-22T03:00:00Z'), to: at('2026-11-22T04:00:00Z') });
  });

  it('is the median of the same bucket on the 7 previous days; a known day without a count is zero', () => {
    const values = new Map([[dayBefore(1), 10], [dayBefore(2), 12], [dayBefore(3), 500], [dayBefore(5), 11]]);
    // Days 1..7: 10, 12, 500, 0, 11, 0, 0 → sorted 0,0,0,10,11,12,500 → 10. A spike on one day does not move it.
    expect(baselineOf(start, at('2026-11-01T00:00:00Z'), (t) => values.get(t.getTime()) ?? 0)).toBe(10);
  });

  it('leaves out days before the history began, and has none without history', () => {
    const values = new Map([[dayBefore(1), 10], [dayBefore(2), 20]]);
    const valueAt = (t: Date) => values.get(t.getTime()) ?? 0;
    expect(baselineOf(start, new Date(dayBefore(2)), valueAt)).toBe(15);
    expect(baselineOf(start, new Date(dayBefore(1)), valueAt)).toBe(10);
    // History starting mid-window: that day is not fully known.
    expect(baselineOf(start, new Date(dayBefore(1) + 1), valueAt)).toBeNull();
    expect(baselineOf(start, null, valueAt)).toBeNull();
  });

  it('ratio and verdict: above needs 1.5x and 5 more; no baseline says so', () => {
    expect(ratioOf(30, 10)).toBe(3);
    expect(ratioOf(3, 0)).toBeNull();
    expect(ratioOf(0, 0)).toBe(1);
    expect(ratioOf(3, null)).toBeNull();
    expect(verdictOf(30, 10)).toBe('above');
    expect(verdictOf(14, 10)).toBe('normal');
    expect(verdictOf(4, 0)).toBe('normal');
    expect(verdictOf(5, 0)).toBe('above');
    expect(verdictOf(2, 10)).toBe('below');
    expect(verdictOf(0, 2)).toBe('normal');
    expect(verdictOf(100, null)).toBe('no-baseline');
  });
});
