import type { TTeamScope } from '../actor';
import { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import type { TBucketUnit } from './baseline';
import type { TDashboardBy } from './dashboard-dto';

// Dead letters per bucket in a few time windows, for the chart, the table and their
// baselines. The history is inflow_counts (per minute, kept by the worker's inflow counter,
// surviving retention); the minutes since `liveFrom` are also counted from messages, so the
// numbers move before the counter's next tick. The two are merged per minute, source and
// origin by taking the larger, as the counter itself does.
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
  const keySql = Prisma.raw(by === 'source' ? 'source_queue' : by === 'origin' ? 'origin_queue' : `''`);

  const countedFilter = Prisma.join([
    filter.source !== undefined ? Prisma.sql`c.source_queue = ${filter.source}` : Prisma.sql`TRUE`,
    filter.origin !== undefined ? Prisma.sql`c.origin_queue = ${filter.origin}` : Prisma.sql`TRUE`,
    scope ? Prisma.sql`(c.source_queue = ANY(${scope.sources}::text[]) OR c.origin_queue = ANY(${scope.origins}::text[]))` : Prisma.sql`TRUE`,
  ], ' AND ');
  const messageFilter = messageConditions(scope, filter);
  // Given to one of the reader's teams on a queue it does not own: not in the counted rows above.
  const ownedElsewhere = scope && scope.teamIds.length > 0
    ? Prisma.sql`
      UNION ALL
      SELECT w.i, date_trunc('minute', m.ingested_at, 'UTC'), m.source_queue, coalesce(m.origin_queue, ''), count(*)
      FROM w JOIN messages m ON m.ingested_at >= w.f AND m.ingested_at < w.t
      WHERE m.owner_team_id = ANY(${scope.teamIds}::uuid[])
        AND NOT (m.source_queue = ANY(${scope.sources}::text[]) OR coalesce(m.origin_queue, '') = ANY(${scope.origins}::text[]))
        AND ${messageFilter}
      GROUP BY 1, 2, 3, 4`
    : Prisma.empty;

  const rows = await prisma().$queryRaw<{ i: bigint; bucket: Date; key: string; n: bigint }[]>`
    WITH w AS (
      SELECT i, f, t FROM unnest(${froms}::text[]::timestamptz[], ${tos}::text[]::timestamptz[]) WITH ORDINALITY AS x(f, t, i)
    ),
    per_minute (i, bucket, source_queue, origin_queue, n) AS (
      SELECT w.i, c.bucket, c.source_queue, c.origin_queue, c.count::bigint
      FROM w JOIN inflow_counts c ON c.bucket >= w.f AND c.bucket < w.t
      WHERE ${countedFilter}
      UNION ALL
      SELECT w.i, date_trunc('minute', m.ingested_at, 'UTC'), m.source_queue, coalesce(m.origin_queue, ''), count(*)
      FROM w JOIN messages m ON m.ingested_at >= greatest(w.f, ${liveFrom.toISOString()}::timestamptz) AND m.ingested_at < w.t
      WHERE ${messageFilter}
      GROUP BY 1, 2, 3, 4
      ${ownedElsewhere}
    ),
    merged AS (
      SELECT i, bucket, source_queue, origin_queue, max(n) AS n FROM per_minute GROUP BY 1, 2, 3, 4
    )
    SELECT i, date_trunc(${unitSql}, bucket, 'UTC') AS bucket, ${keySql} AS key, sum(n)::bigint AS n
    FROM merged GROUP BY 1, 2, 3`;
  return rows.map((r) => ({ window: Number(r.i) - 1, bucket: r.bucket, key: r.key, n: Number(r.n) }));
}

/** Where the counted history starts: the oldest inflow count (null before the counter ran). */
export async function findHistoryStart(): Promise<Date | null> {
  const [row] = await prisma().$queryRaw<{ start: Date | null }[]>`SELECT min(bucket) AS start FROM inflow_counts`;
  return row?.start ?? null;
}

/** The stored messages a reader may count (team scope as in scopeMessageWhere), narrowed by the filter; `m` is messages. */
export function messageConditions(scope: TTeamScope | null, filter: TInflowFilter): Prisma.Sql {
  return Prisma.join([
    filter.source !== undefined ? Prisma.sql`m.source_queue = ${filter.source}` : Prisma.sql`TRUE`,
    filter.origin !== undefined ? Prisma.sql`m.origin_queue = ${filter.origin}` : Prisma.sql`TRUE`,
    scope ? Prisma.sql`(m.source_queue = ANY(${scope.sources}::text[]) OR m.origin_queue = ANY(${scope.origins}::text[]) OR m.owner_team_id = ANY(${scope.teamIds}::uuid[]))` : Prisma.sql`TRUE`,
  ], ' AND ');
}
