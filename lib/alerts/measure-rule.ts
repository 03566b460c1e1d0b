import { Prisma } from '../db/generated/client';
import { UNRESOLVED_STATUSES } from '../retention/retention-policy-dto';
import type { TMetric, TSubjectKind } from './alert-rule-dto';
import { baselineOf } from '../dashboard/baseline';
import { findHistoryStart } from '../dashboard/count-inflow';

type TDb = Prisma.TransactionClient;
export type TMeasure = { value: number; baseline: number | null };

const COLUMN: Record<TSubjectKind, Prisma.Sql> = { source: Prisma.raw('source_queue'), origin: Prisma.raw('origin_queue') };
const BASELINE_DAYS = 7;
/** Compared as the enum (not status::text), so the planner can use the (status, id) index. */
export const UNRESOLVED_FILTER = Prisma.sql`status = ANY(${[...UNRESOLVED_STATUSES]}::message_status[])`;

/**
 * The rule's metric per subject at `now`: its queue, or with '*' every queue that has any
 * (a queue with none cannot be over a limit above 0). Inflow is counted from the messages
 * themselves; its baseline is the median of the same window at the same time of day on
 * each of the previous 7 days, from inflow_counts (which outlives retention), exactly as the
 * dashboard computes it: a day before the counted history began is unknown and left out, a
 * known day without counts is 0, and with no known day there is no baseline (null).
 */
export async function measureRule(db: TDb, rule: { subjectKind: TSubjectKind; subject: string; metric: TMetric; windowMinutes: number }, now: Date): Promise<Map<string, TMeasure>> {
  const column = COLUMN[rule.subjectKind];
  const only = rule.subject === '*' ? Prisma.sql`${column} IS NOT NULL` : Prisma.sql`${column} = ${rule.subject}`;
  const result = new Map<string, TMeasure>();
  if (rule.metric === 'unresolved') {
    const rows = await db.$queryRaw<{ subject: string; n: bigint }[]>`
      SELECT ${column} AS subject, count(*) AS n FROM messages
      WHERE ${only} AND ${UNRESOLVED_FILTER}
      GROUP BY 1`;
    for (const r of rows) result.set(r.subject, { value: Number(r.n), baseline: null });
    return result;
  }
  const from = new Date(now.getTime() - rule.windowMinutes * 60_000);
  const rows = await db.$queryRaw<{ subject: string; n: bigint }[]>`
    SELECT ${column} AS subject, count(*) AS n FROM messages
    WHERE ${only} AND ingested_at > ${from} AND ingested_at <= ${now}
    GROUP BY 1`;
  for (const r of rows) result.set(r.subject, { value: Number(r.n) / rule.windowMinutes, baseline: null });
  return result;
}

/**
 * The baseline of each subject: the median per-minute inflow of the same window on each of
 * the previous 7 days that lies inside the counted history; null when no day does.
 */
export async function measureBaselines(db: TDb, rule: { subjectKind: TSubjectKind; windowMinutes: number }, subjects: string[], now: Date): Promise<Map<string, number | null>> {
  const baselines = new Map<string, number | null>();
  if (subjects.length === 0) return baselines;
  const column = COLUMN[rule.subjectKind];
  // The history counted live, as the dashboard's baseline reads it (backfilled days are not 'known').
  const historyStart = await findHistoryStart(db);
  const rows = await db.$queryRaw<{ subject: string; day: number; n: bigint }[]>`
    SELECT s.subject, d.day, COALESCE(sum(ic.count), 0)::bigint AS n
    FROM unnest(${subjects}::text[]) AS s(subject)
    CROSS JOIN generate_series(1, ${BASELINE_DAYS}::int) AS d(day)
    LEFT JOIN inflow_counts ic ON ic.${column} = s.subject
      AND ic.bucket >= ${now}::timestamptz - make_interval(days => d.day, mins => ${rule.windowMinutes}::int)
      AND ic.bucket < ${now}::timestamptz - make_interval(days => d.day)
    GROUP BY 1, 2`;
  const perDay = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const days = perDay.get(r.subject) ?? new Map<number, number>();
    days.set(Number(r.day), Number(r.n) / rule.windowMinutes);
    perDay.set(r.subject, days);
  }
  const windowStart = new Date(now.getTime() - rule.windowMinutes * 60_000);
  const dayOf = (earlier: Date) => Math.round((windowStart.getTime() - earlier.getTime()) / 86_400_000);
  for (const subject of subjects) {
    baselines.set(subject, baselineOf(windowStart, historyStart, (earlier) => perDay.get(subject)?.get(dayOf(earlier)) ?? 0));
  }
  return baselines;
}
