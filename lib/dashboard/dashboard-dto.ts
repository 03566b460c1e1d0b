import { z } from 'zod';
import { emptyToUndefined } from '../validation/query-fields';
import { hasControlCharacters } from '../validation/text';
import { DASHBOARD_RANGES, type TBaselineVerdict, type TBucketUnit, type TDashboardRange } from './baseline';

export const DASHBOARD_BYS = ['source', 'origin'] as const;
export type TDashboardBy = (typeof DASHBOARD_BYS)[number];

const ZQueue = z.preprocess(
  emptyToUndefined,
  z.string().trim().min(1).max(255, 'must be at most 255 characters')
    .refine((s) => !hasControlCharacters(s), 'must not contain control characters').optional(),
);

export const ZDashboardQuery = z.strictObject({
  range: z.preprocess(emptyToUndefined, z.enum(DASHBOARD_RANGES, { message: `must be one of ${DASHBOARD_RANGES.join(', ')}` }).default('1h')),
  by: z.preprocess(emptyToUndefined, z.enum(DASHBOARD_BYS, { message: `must be one of ${DASHBOARD_BYS.join(', ')}` }).default('source')),
  source: ZQueue,
  origin: ZQueue,
});
export type TDashboardQuery = z.output<typeof ZDashboardQuery>;

export type TTopGroup = {
  id: string; reason: string | null; originQueue: string | null; exceptionType: string | null; exceptionMessage: string | null; redacted: boolean; unresolved: number;
};

/** One source (or origin: '' when no x-death names one) over the last hour, against its baseline. */
export type TDashboardRow = {
  key: string;
  last15m: number;
  lastHour: number;
  /** Median of the same hour on each of the previous 7 days; null: no baseline yet. */
  baseline: number | null;
  ratio: number | null;
  verdict: TBaselineVerdict;
  /** Per minute, oldest first, the last 60 minutes. */
  spark: number[];
  unresolved: number;
  oldestUnresolvedAt: string | null;
  replays24h: number;
  /** Replays of the last 24 h that did not dead-letter again. */
  replaySucceeded24h: number;
  topGroups: TTopGroup[];
};

export type TDashboardPoint = { t: string; count: number; baseline: number | null };

export type TDashboard = {
  generatedAt: string;
  range: TDashboardRange;
  by: TDashboardBy;
  /** Where the baseline's history starts (the oldest minute counted live); null before the worker counted any. */
  historyStart: string | null;
  /** The oldest inflow count, backfilled ones included (the chart's history bars); null: none. */
  countedFrom: string | null;
  summary: {
    unresolved: number;
    oldestUnresolvedAt: string | null;
    lastHour: number;
    baseline: number | null;
    verdict: TBaselineVerdict;
    replays24h: number;
    replaySucceeded24h: number;
    firingAlerts: number;
    /** No stored message and no configured source: a fresh install. */
    empty: boolean;
  };
  series: { unit: TBucketUnit; points: TDashboardPoint[] };
  rows: TDashboardRow[];
  /** Rows beyond the table's limit that were left out (the busiest are kept). */
  omittedRows: number;
};
