import type { TTeamScope } from '../actor';
import { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { MINUTE_MS, bucketStart, type TBucketUnit } from './baseline';
import { LIVE_MINUTES } from './count-inflow-step';
import type { TDashboardBy } from './dashboard-dto';
import { withoutJit } from './without-jit';

// Dead letters per bucket in a few time windows, for the chart, the table and their
// baselines. The history is inflow_counts (per minute, kept by the worker's inflow counter,
// surviving retention); the minutes since `liveFrom` (findLiveFrom: those the counter has
// not counted yet) are counted from messages, so the numbers move before it counts them.
// The two are merged per minute, source and origin by taking the larger, as the counter
// itself does.
//
// Team scope: inflow_counts knows only queues, so a scoped reader gets the rows of the
// queues its teams own, plus, counted from the stored messages, those an ownership rule gave
// to one of its teams on queues it does not own (retention may have purged some of those).

export type TInflowFilter = { source?: string; origin?: string };
export type TInflowRow = { window: number; bucket: Date; key: string; n: number };

export async function countInflow({ scope, windows, unit, by, filter, liveFrom }: {
  scope: TTeamScope | null;
  windows: { from: Date; to: Date }[];
  unit: TBucketUnit;
  /** null: one total per bucket (key ''). */
  by: TDashboardBy | null;
  filter: TInflowFilter;
  liveFrom: Date;
}): Promise<TInflowRow[]> {
  if (windows.length === 0) return [];
  const froms = windows.map((w) => w.from.toISOString());
  const tos = windows.map((w) => w.to.toISOString());
  const unitSql = Prisma.raw(unit === 'minute' ? `'minute'` : `'hour'`);
  // Every part below names its columns source_queue and origin_queue (origin '' for none).
  const keySql = Prisma.raw(by === 'source' ? 'source_queue' : by === 'origin' ? 'origin_queue' : `''`);

  const countedFilter = Prisma.join([
    filter.source !== undefined ? Prisma.sql`c.source_queue = ${filter.source}` : Prisma.sql`TRUE`,
    filter.origin !== undefined ? Prisma.sql`c.origin_queue = ${filter.origin}` : Prisma.sql`TRUE`,
    scope ? Prisma.sql`(c.source_queue = ANY(${scope.sources}::text[]) OR c.origin_queue = ANY(${scope.origins}::text[]))` : Prisma.sql`TRUE`,
  ], ' AND ');
  const messageFilter = messageConditions(scope, filter);
  const live = liveFrom.toISOString();
  // The messages are read by one constant ingested_at range (a join on the windows would
  // not use the index), counted per minute, then matched to the windows by minute.
  const lo = new Date(Math.min(...windows.map((w) => w.from.getTime()))).toISOString();
  const hi = new Date(Math.max(...windows.map((w) => w.to.getTime()))).toISOString();
  // Given to one of the reader's teams on a queue it does not own: not in the counted rows.
  const ownedElsewhere = scope && scope.teamIds.length > 0
    ? Prisma.sql`
      UNION ALL
      SELECT w.i, date_trunc(${unitSql}, o.bucket, 'UTC'), ${keySql}, sum(o.n)::bigint
      FROM w JOIN (
        SELECT date_trunc('minute', m.ingested_at, 'UTC') AS bucket, m.source_queue, coalesce(m.origin_queue, '') AS origin_queue, count(*) AS n
        FROM messages m
        WHERE m.ingested_at >= ${lo}::timestamptz AND m.ingested_at < least(${hi}::timestamptz, ${live}::timestamptz)
          AND m.owner_team_id = ANY(${scope.teamIds}::uuid[])
          AND NOT (m.source_queue = ANY(${scope.sources}::text[]) OR coalesce(m.origin_queue, '') = ANY(${scope.origins}::text[]))
          AND ${messageFilter}
        GROUP BY 1, 2, 3
      ) o ON o.bucket >= w.f AND o.bucket < least(w.t, ${live}::timestamptz)
      GROUP BY 1, 2, 3`
    : Prisma.empty;

  // Before liveFrom the counted rows are summed as they are; from liveFrom on each minute is
  // the larger of the counted row and a count of the stored messages.
  const rows = await withoutJit(prisma().$queryRaw<{ i: bigint; bucket: Date; key: string; n: bigint }[]>`
    WITH w AS (
      SELECT i, f, t FROM unnest(${froms}::text[]::timestamptz[], ${tos}::text[]::timestamptz[]) WITH ORDINALITY AS x(f, t, i)
    ),
    live AS (
      SELECT date_trunc('minute', m.ingested_at, 'UTC') AS bucket, m.source_queue, coalesce(m.origin_queue, '') AS origin_queue, count(*) AS n
      FROM messages m
      WHERE m.ingested_at >= greatest(${lo}::timestamptz, ${live}::timestamptz) AND m.ingested_at < ${hi}::timestamptz AND ${messageFilter}
      GROUP BY 1, 2, 3
    ),
    recent (i, bucket, source_queue, origin_queue, n) AS (
      SELECT w.i, c.bucket, c.source_queue, c.origin_queue, c.count::bigint
      FROM w JOIN inflow_counts c ON c.bucket >= greatest(w.f, ${live}::timestamptz) AND c.bucket < w.t
      WHERE ${countedFilter}
      UNION ALL
      SELECT w.i, l.bucket, l.source_queue, l.origin_queue, l.n
      FROM w JOIN live l ON l.bucket >= greatest(w.f, ${live}::timestamptz) AND l.bucket < w.t
    ),
    parts (i, bucket, key, n) AS (
      SELECT w.i, date_trunc(${unitSql}, c.bucket, 'UTC'), ${keySql}, sum(c.count)::bigint
      FROM w JOIN inflow_counts c ON c.bucket >= w.f AND c.bucket < least(w.t, ${live}::timestamptz)
      WHERE ${countedFilter}
      GROUP BY 1, 2, 3
      UNION ALL
      SELECT i, date_trunc(${unitSql}, bucket, 'UTC'), ${keySql}, max(n)
      FROM recent GROUP BY i, bucket, source_queue, origin_queue
      ${ownedElsewhere}
    )
    SELECT i, bucket, key, sum(n)::bigint AS n FROM parts GROUP BY 1, 2, 3`);
  return rows.map((r) => ({ window: Number(r.i) - 1, bucket: r.bucket, key: r.key, n: Number(r.n) }));
}

type TQueryable = Pick<Prisma.TransactionClient, '$queryRaw'>;

/**
 * Where the baseline's history starts: the oldest minute the worker counted live (null before
 * it counted any). Backfilled minutes are left out: retention may have purged some of their
 * messages, so they would pass for known days with far too low counts. `db` may be a
 * transaction client (the alert evaluator reads it inside its own).
 */
export async function findHistoryStart(db: TQueryable = prisma()): Promise<Date | null> {
  // min(bucket) over the partial index inflow_counts_live.
  const [row] = await db.$queryRaw<{ start: Date | null }[]>`SELECT min(bucket) AS start FROM inflow_counts WHERE NOT backfilled`;
  return row?.start ?? null;
}

/** The oldest inflow count of any kind, backfilled or live: where the chart's history bars begin. */
export async function findCountedFrom(db: TQueryable = prisma()): Promise<Date | null> {
  const [row] = await db.$queryRaw<{ start: Date | null }[]>`SELECT min(bucket) AS start FROM inflow_counts`;
  return row?.start ?? null;
}

/**
 * Where the readers start counting from the messages themselves: the first minute the
 * counter has not counted yet, but no later than `now` and no earlier than the last
 * LIVE_MINUTES (a counter far behind, its workers stopped, catches up by its own gap fill).
 * The minutes the counter has counted are not read again: under a heavy inflow the last 15
 * minutes hold millions of rows, and every open dashboard reads them every few seconds. The
 * earliest is taken from the database's clock too, which stamps ingested_at and the
 * counter's minutes: a web replica whose clock runs ahead must not skip uncounted minutes.
 */
export async function findLiveFrom(now: Date, db: TQueryable = prisma()): Promise<Date> {
  const [row] = await db.$queryRaw<{ to: Date | null; now: Date }[]>`
    SELECT (SELECT counted_to FROM inflow_counter_state WHERE id) AS "to", now() AS now`;
  const live = bucketStart(now, 'minute').getTime();
  const earliest = Math.min(live, bucketStart(row!.now, 'minute').getTime()) - LIVE_MINUTES * MINUTE_MS;
  return new Date(Math.min(live, Math.max(row?.to ? row.to.getTime() : -Infinity, earliest)));
}

/** The stored messages a reader may count (team scope as in scopeMessageWhere), narrowed by the filter; `m` is messages. */
export function messageConditions(scope: TTeamScope | null, filter: TInflowFilter): Prisma.Sql {
  return Prisma.join([
    filter.source !== undefined ? Prisma.sql`m.source_queue = ${filter.source}` : Prisma.sql`TRUE`,
    filter.origin !== undefined ? Prisma.sql`m.origin_queue = ${filter.origin}` : Prisma.sql`TRUE`,
    scope ? Prisma.sql`(m.source_queue = ANY(${scope.sources}::text[]) OR m.origin_queue = ANY(${scope.origins}::text[]) OR m.owner_team_id = ANY(${scope.teamIds}::uuid[]))` : Prisma.sql`TRUE`,
  ], ' AND ');
}
