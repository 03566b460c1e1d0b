import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { loadExceptionMasker } from '../groups/exception-redaction';
import type { TFramework } from '../groups/read-exception';
import { requirePermission } from '../permissions/require-permission';
import { scopeOf } from '../permissions/team-scope';
import {
  DAY_MS, MINUTE_MS, baselineOf, baselineWindows, isKnown, median, rangeBuckets, ratioOf, verdictOf,
} from './baseline';
import { countInflow, findCountedFrom, findHistoryStart, findLiveFrom, type TInflowRow } from './count-inflow';
import { countFiringAlerts, countReplays, countUnresolved, isFreshInstall } from './count-unresolved';
import type { TDashboard, TDashboardPoint, TDashboardQuery, TDashboardRow, TTopGroup } from './dashboard-dto';

// The console's home page: dead letters per source or origin over the last hour against
// their baseline (the median of the same hour on each of the previous 7 days), what is
// unresolved and since when, how replays went, the failure groups behind it, and a chart.
// Every number is the reader's: team scope applies as in the message list.

const MAX_ROWS = 200;
const TOP_GROUPS = 3;

export async function getDashboard({ actor, query, now = new Date() }: { actor: TActor; query: TDashboardQuery; now?: Date }): Promise<TDashboard> {
  requirePermission(actor, 'messages:read');
  const scope = scopeOf(actor);
  const { range, by } = query;
  const filter = { source: query.source, origin: query.origin };
  const liveFrom = await findLiveFrom(now);
  const hour = rangeBuckets('1h', now);
  const hourWindows = baselineWindows(hour.from, hour.to);
  const chart = rangeBuckets(range, now);

  const [historyStart, countedFrom, hourRows, chartRows, unresolved, replays, firingAlerts, empty] = await Promise.all([
    findHistoryStart(),
    findCountedFrom(),
    countInflow({ scope, windows: hourWindows, unit: 'minute', by, filter, liveFrom }),
    range === '1h'
      ? null
      : countInflow({ scope, windows: [{ from: new Date(chart.from.getTime() - 7 * DAY_MS), to: chart.to }], unit: 'hour', by: null, filter, liveFrom }),
    countUnresolved({ scope, by, filter }),
    countReplays({ scope, by, filter, since: new Date(now.getTime() - DAY_MS) }),
    countFiringAlerts(scope),
    isFreshInstall(),
  ]);

  // The last hour per key: its minutes (window 0) and each earlier day's total (windows 1..7).
  const knownDays = hourWindows.map((w, d) => d > 0 && isKnown(w.from, historyStart));
  const perKey = new Map<string, { minutes: Map<number, number>; days: number[] }>();
  const entry = (key: string) => {
    let e = perKey.get(key);
    if (!e) perKey.set(key, (e = { minutes: new Map(), days: hourWindows.map(() => 0) }));
    return e;
  };
  for (const r of hourRows) {
    const e = entry(r.key);
    e.days[r.window]! += r.n;
    if (r.window === 0) e.minutes.set(r.bucket.getTime(), (e.minutes.get(r.bucket.getTime()) ?? 0) + r.n);
  }
  const unresolvedByKey = new Map<string, { n: number; oldest: Date; groups: { id: bigint; n: number }[] }>();
  for (const r of unresolved) {
    let u = unresolvedByKey.get(r.key);
    if (!u) unresolvedByKey.set(r.key, (u = { n: 0, oldest: r.oldest, groups: [] }));
    u.n += r.n;
    if (r.oldest < u.oldest) u.oldest = r.oldest;
    if (r.groupId !== null) u.groups.push({ id: r.groupId, n: r.n });
  }
  const replaysByKey = new Map(replays.map((r) => [r.key, r]));
  for (const key of [...unresolvedByKey.keys(), ...replaysByKey.keys()]) entry(key);

  const fifteenFrom = hour.to.getTime() - 15 * MINUTE_MS;
  const baselineOfDays = (days: number[]) => median(days.filter((_, d) => knownDays[d]));
  let rows: TDashboardRow[] = [...perKey.entries()].map(([key, e]) => {
    const lastHour = e.days[0]!;
    const baseline = baselineOfDays(e.days);
    const u = unresolvedByKey.get(key);
    const rp = replaysByKey.get(key);
    return {
      key,
      last15m: [...e.minutes.entries()].reduce((n, [t, c]) => (t >= fifteenFrom ? n + c : n), 0),
      lastHour,
      baseline,
      ratio: ratioOf(lastHour, baseline),
      verdict: verdictOf(lastHour, baseline),
      spark: hour.starts.map((s) => e.minutes.get(s.getTime()) ?? 0),
      unresolved: u?.n ?? 0,
      oldestUnresolvedAt: u ? u.oldest.toISOString() : null,
      replays24h: rp?.replays ?? 0,
      replaySucceeded24h: rp?.succeeded ?? 0,
      topGroups: (u?.groups ?? []).sort((a, b) => b.n - a.n || Number(a.id - b.id)).slice(0, TOP_GROUPS)
        .map((g) => ({ id: g.id.toString(), unresolved: g.n, reason: null, originQueue: null, exceptionType: null, exceptionMessage: null, redacted: false })),
    };
  });
  rows.sort((a, b) => Number(b.verdict === 'above') - Number(a.verdict === 'above') || b.lastHour - a.lastHour || b.unresolved - a.unresolved || a.key.localeCompare(b.key));
  const omittedRows = Math.max(0, rows.length - MAX_ROWS);
  rows = rows.slice(0, MAX_ROWS);
  await describeGroups(actor, rows.flatMap((r) => r.topGroups));

  const totalDays = hourWindows.map((_, d) => [...perKey.values()].reduce((n, e) => n + e.days[d]!, 0));
  const lastHour = totalDays[0]!;
  const baseline = baselineOfDays(totalDays);
  const allUnresolved = [...unresolvedByKey.values()];
  const oldest = allUnresolved.reduce<Date | null>((o, u) => (o === null || u.oldest < o ? u.oldest : o), null);

  return {
    generatedAt: now.toISOString(),
    range,
    by,
    historyStart: historyStart?.toISOString() ?? null,
    countedFrom: countedFrom?.toISOString() ?? null,
    summary: {
      unresolved: allUnresolved.reduce((n, u) => n + u.n, 0),
      oldestUnresolvedAt: oldest?.toISOString() ?? null,
      lastHour,
      baseline,
      verdict: verdictOf(lastHour, baseline),
      replays24h: replays.reduce((n, r) => n + r.replays, 0),
      replaySucceeded24h: replays.reduce((n, r) => n + r.succeeded, 0),
      firingAlerts,
      empty,
    },
    series: { unit: chart.unit, points: chartPoints(chart.starts, chartRows ?? hourRows, historyStart) },
    rows,
    omittedRows,
  };
}

/** The chart: each bucket's total and the median of the same bucket on the known earlier days. */
function chartPoints(starts: Date[], rows: TInflowRow[], historyStart: Date | null): TDashboardPoint[] {
  const totals = new Map<number, number>();
  for (const r of rows) totals.set(r.bucket.getTime(), (totals.get(r.bucket.getTime()) ?? 0) + r.n);
  return starts.map((s) => ({
    t: s.toISOString(),
    count: totals.get(s.getTime()) ?? 0,
    baseline: baselineOf(s, historyStart, (earlier) => totals.get(earlier.getTime()) ?? 0),
  }));
}

/** Names the top groups, with the exception text masked as the groups list masks it for this reader. */
async function describeGroups(actor: TActor, groups: TTopGroup[]): Promise<void> {
  if (groups.length === 0) return;
  const ids = [...new Set(groups.map((g) => BigInt(g.id)))];
  const [found, masker] = await Promise.all([
    prisma().failureGroup.findMany({ where: { id: { in: ids } }, select: { id: true, reason: true, originQueue: true, framework: true, exceptionType: true, exceptionMessage: true } }),
    loadExceptionMasker(actor),
  ]);
  const byId = new Map(found.map((g) => [g.id.toString(), masker.mask({ ...g, framework: g.framework as TFramework | null })]));
  for (const g of groups) {
    const f = byId.get(g.id);
    if (!f) continue;
    g.reason = f.reason;
    g.originQueue = f.originQueue;
    g.exceptionType = f.exceptionType;
    g.exceptionMessage = f.exceptionMessage;
    g.redacted = f.redacted;
  }
}
