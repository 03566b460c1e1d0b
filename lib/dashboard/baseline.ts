// The dashboard's time arithmetic, kept pure so it is unit-tested: the buckets of a range,
// and the baseline of a bucket, which is the median of the same clock window on each of the
// previous 7 days. A day before the counted history began is unknown, not zero: it is left
// out, and with no known day at all there is no baseline yet (null).

export const DASHBOARD_RANGES = ['1h', '24h', '7d'] as const;
export type TDashboardRange = (typeof DASHBOARD_RANGES)[number];
export type TBucketUnit = 'minute' | 'hour';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const BASELINE_DAYS = 7;

export type TRangeBuckets = { unit: TBucketUnit; from: Date; to: Date; starts: Date[] };

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function unitMs(unit: TBucketUnit): number {
  return unit === 'minute' ? MINUTE_MS : HOUR_MS;
}

/** The start of the bucket holding `at` (UTC; whole-hour buckets line up with every whole-hour zone). */
export function bucketStart(at: Date, unit: TBucketUnit): Date {
  const ms = unitMs(unit);
  return new Date(Math.floor(at.getTime() / ms) * ms);
}

/** The buckets a range shows, oldest first; the last one holds `now` and is still filling. */
export function rangeBuckets(range: TDashboardRange, now: Date): TRangeBuckets {
  const unit: TBucketUnit = range === '1h' ? 'minute' : 'hour';
  const count = range === '1h' ? 60 : range === '24h' ? 24 : 7 * 24;
  const step = unitMs(unit);
  const to = new Date(bucketStart(now, unit).getTime() + step);
  const from = new Date(to.getTime() - count * step);
  return { unit, from, to, starts: Array.from({ length: count }, (_, i) => new Date(from.getTime() + i * step)) };
}

/** The same window shifted back by d = 0..7 days: what a baseline compares with. */
export function baselineWindows(from: Date, to: Date): { from: Date; to: Date }[] {
  return Array.from({ length: BASELINE_DAYS + 1 }, (_, d) => ({ from: new Date(from.getTime() - d * DAY_MS), to: new Date(to.getTime() - d * DAY_MS) }));
}

/** Whether the window starting at `start` lies wholly inside the counted history. */
export function isKnown(start: Date, historyStart: Date | null): boolean {
  return historyStart !== null && start.getTime() >= historyStart.getTime();
}

/**
 * The median of `valueAt(start - d days)` over the known days d = 1..7 (a known day
 * without a count is a zero), or null when none is known.
 */
export function baselineOf(start: Date, historyStart: Date | null, valueAt: (start: Date) => number): number | null {
  const known: number[] = [];
  for (let d = 1; d <= BASELINE_DAYS; d++) {
    const earlier = new Date(start.getTime() - d * DAY_MS);
    if (isKnown(earlier, historyStart)) known.push(valueAt(earlier));
  }
  return median(known);
}

/** value / baseline, or null when there is no baseline; a zero baseline compares as "above" any inflow. */
export function ratioOf(value: number, baseline: number | null): number | null {
  if (baseline === null) return null;
  if (baseline === 0) return value === 0 ? 1 : null;
  return value / baseline;
}

export type TBaselineVerdict = 'no-baseline' | 'above' | 'normal' | 'below';

/** How a value reads against its baseline; "above" needs both 1.5× and 5 more, so a quiet queue's 1 vs 0 is not an alarm. */
export function verdictOf(value: number, baseline: number | null): TBaselineVerdict {
  if (baseline === null) return 'no-baseline';
  if (value >= Math.max(baseline * 1.5, baseline + 5)) return 'above';
  if (baseline >= 5 && value <= baseline * 0.5) return 'below';
  return 'normal';
}
