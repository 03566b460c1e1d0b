import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { DAY_MS } from './baseline';
import { countInflowStep } from './count-inflow-step';
import { MINUTE, minuteFloor, seedMessages } from './dashboard-fixture';
import { ZDashboardQuery } from './dashboard-dto';
import { getDashboard } from './get-dashboard';

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let teamId: string;
let now: Date;
let payGroup: bigint;

beforeAll(async () => {
  db = await createTestDatabase('dashboard');
  now = new Date();
  const hourAgo = (m: number) => new Date(minuteFloor(now).getTime() - m * MINUTE + 1_000);
  teamId = (await prisma().team.create({ data: { name: 'payments-team', queue: 'payments.inbox' } })).id;
  const group = (type: string, origin: string) => prisma().failureGroup.create({
    data: { signature: randomBytes(16), originQueue: origin, reason: 'rejected', exceptionType: type, exceptionMessage: `${type} happened` },
  });
  const orderGroup = (await group('TimeoutException', 'orders')).id;
  payGroup = (await group('CardDeclined', 'payments')).id;

  // orders: 30 in the last hour (10 in the last 15 minutes); history: 10 in the same hour on each of the 7 days before.
  await seedMessages(20, hourAgo(40), { groupId: orderGroup });
  await seedMessages(10, hourAgo(5), { status: 'discarded' });
  for (let d = 1; d <= 7; d++) {
    await prisma().inflowCount.create({ data: { bucket: new Date(minuteFloor(now).getTime() - d * DAY_MS - 30 * MINUTE), sourceQueue: 'orders.dlq', originQueue: 'orders', count: d === 3 ? 400 : 10 } });
  }
  // An older unresolved order, from yesterday (ingested before the last hour).
  await seedMessages(1, new Date(now.getTime() - DAY_MS + 60 * MINUTE), { status: 'failed', groupId: orderGroup });

  // payments (source pay.dlq): 3 in the last hour, unresolved, one replayed message that died again, one replay that held.
  await seedMessages(3, hourAgo(20), { sourceQueue: 'pay.dlq', originQueue: 'payments', groupId: payGroup });
  const [replayed, held] = await seedMessages(2, hourAgo(50), { sourceQueue: 'pay.dlq', originQueue: 'payments', status: 'replayed' });
  const dispatchId = randomUUID();
  for (const [id, dispatch] of [[replayed!, dispatchId], [held!, randomUUID()]] as const) {
    await prisma().dispatch.create({ data: { id: dispatch, actionId: randomUUID(), messageId: id, kind: 'replay', exchange: '', routingKey: 'payments', replayCount: 1, state: 'published', actor: 'user:a' } });
  }
  await seedMessages(1, hourAgo(10), { sourceQueue: 'pay.dlq', originQueue: 'payments', replayId: dispatchId, originalMessageId: replayed!, status: 'discarded' });

  // Given to the payments team by an ownership rule, on a queue the team does not own.
  await seedMessages(2, hourAgo(30), { sourceQueue: 'misc.dlq', originQueue: 'misc', ownerTeamId: teamId });
  // Another team's: never in the payments team's numbers.
  await seedMessages(4, hourAgo(30), { sourceQueue: 'misc.dlq', originQueue: 'misc' });
  // The worker's inflow counter has run (the minutes older than the live quarter hour come from it).
  while ((await countInflowStep(now)).more);
});
afterAll(async () => db?.drop());

const query = (q: Record<string, string> = {}) => ZDashboardQuery.parse(q);

describe('the dashboard', () => {
  it('counts the last hour against the median of the same hour on the 7 days before, per source', async () => {
    const d = await getDashboard({ actor: ADMIN, query: query(), now });
    const rows = Object.fromEntries(d.rows.map((r) => [r.key, r]));
    expect(rows['orders.dlq']).toMatchObject({
      last15m: 10, lastHour: 30, baseline: 10, ratio: 3, verdict: 'above', unresolved: 21, replays24h: 0,
      topGroups: [expect.objectContaining({ exceptionType: 'TimeoutException', unresolved: 21 })],
    });
    expect(rows['orders.dlq']!.spark).toHaveLength(60);
    expect(rows['orders.dlq']!.spark.reduce((a, b) => a + b, 0)).toBe(30);
    // pay.dlq: 3 + 2 replayed + 1 re-death; no history for it on earlier days, but the history is known: baseline 0.
    expect(rows['pay.dlq']).toMatchObject({ lastHour: 6, last15m: 1, baseline: 0, unresolved: 3, replays24h: 2, replaySucceeded24h: 1 });
    expect(rows['pay.dlq']!.topGroups).toEqual([{ id: payGroup.toString(), reason: 'rejected', originQueue: 'payments', exceptionType: 'CardDeclined', exceptionMessage: 'CardDeclined happened', redacted: false, unresolved: 3 }]);
    expect(rows['misc.dlq']).toMatchObject({ lastHour: 6, unresolved: 6 });
    expect(d.rows[0]!.key).toBe('orders.dlq');
    expect(d.summary).toMatchObject({ unresolved: 30, lastHour: 42, baseline: 10, replays24h: 2, replaySucceeded24h: 1, firingAlerts: 0, empty: false });
    expect(new Date(d.summary.oldestUnresolvedAt!).getTime()).toBeLessThan(now.getTime() - 22 * 60 * MINUTE);
    // The chart: 60 minutes, the same total, the baseline where the history has counts.
    expect(d.series.unit).toBe('minute');
    expect(d.series.points).toHaveLength(60);
    expect(d.series.points.reduce((n, p) => n + p.count, 0)).toBe(42);
    const at30 = d.series.points.find((p) => p.t === new Date(minuteFloor(now).getTime() - 30 * MINUTE).toISOString());
    expect(at30?.baseline).toBe(10);
  });

  it('per origin, filtered, and over 24 h and 7 d in hours', async () => {
    const byOrigin = await getDashboard({ actor: ADMIN, query: query({ by: 'origin', origin: 'payments', range: '24h' }), now });
    expect(byOrigin.rows.map((r) => [r.key, r.lastHour, r.unresolved])).toEqual([['payments', 6, 3]]);
    expect(byOrigin.series.unit).toBe('hour');
    expect(byOrigin.series.points).toHaveLength(24);
    expect(byOrigin.series.points.reduce((n, p) => n + p.count, 0)).toBe(6);
    const week = await getDashboard({ actor: ADMIN, query: query({ range: '7d', source: 'orders.dlq' }), now });
    expect(week.series.points).toHaveLength(168);
    // 30 in the last hour, yesterday's one, the history of days 1 to 6 (10 each, 400 on day 3); day 7's is before the range.
    expect(week.series.points.reduce((n, p) => n + p.count, 0)).toBe(30 + 1 + 5 * 10 + 400);
  });

  it('a team-scoped reader sees only the numbers of the messages it may read', async () => {
    const scoped: TActor = { kind: 'user', id: 'v', email: 'v@example.com', role: 'viewer', scope: { teamIds: [teamId], origins: ['payments'], sources: [] } };
    const d = await getDashboard({ actor: scoped, query: query(), now });
    expect(d.rows.map((r) => [r.key, r.lastHour, r.unresolved, r.replays24h]).sort()).toEqual([['misc.dlq', 2, 2, 0], ['pay.dlq', 6, 3, 2]]);
    expect(d.summary).toMatchObject({ unresolved: 5, lastHour: 8 });
    expect(d.series.points.reduce((n, p) => n + p.count, 0)).toBe(8);
  });

  it('after an upgrade, backfilled days draw the history bars but are no baseline (retention purged some of their messages)', async () => {
    const liveFrom = new Date(minuteFloor(now).getTime() - 15 * MINUTE);
    const before = await getDashboard({ actor: ADMIN, query: query(), now });
    expect(before.historyStart).toBe(new Date(minuteFloor(now).getTime() - 7 * DAY_MS - 30 * MINUTE).toISOString());
    // As if the week's counts had been backfilled from what retention left: only the last quarter hour was counted live.
    const flipped = await prisma().$queryRaw<{ bucket: Date; source_queue: string; origin_queue: string }[]>`
      UPDATE inflow_counts SET backfilled = true WHERE bucket < ${liveFrom} AND NOT backfilled RETURNING bucket, source_queue, origin_queue`;
    expect(flipped.length).toBe(7);
    try {
      const d = await getDashboard({ actor: ADMIN, query: query(), now });
      const orders = d.rows.find((r) => r.key === 'orders.dlq');
      expect(orders).toMatchObject({ lastHour: 30, baseline: null, ratio: null, verdict: 'no-baseline' });
      expect(d.summary).toMatchObject({ lastHour: 42, baseline: null, verdict: 'no-baseline' });
      expect(d.series.points.every((p) => p.baseline === null)).toBe(true);
      expect(new Date(d.historyStart!).getTime()).toBeGreaterThanOrEqual(liveFrom.getTime());
      expect(d.countedFrom).toBe(before.historyStart);
      const week = await getDashboard({ actor: ADMIN, query: query({ range: '7d', source: 'orders.dlq' }), now });
      expect(week.series.points.reduce((n, p) => n + p.count, 0)).toBe(30 + 1 + 5 * 10 + 400);
    } finally {
      for (const r of flipped) {
        await prisma().$executeRaw`UPDATE inflow_counts SET backfilled = false WHERE bucket = ${r.bucket} AND source_queue = ${r.source_queue} AND origin_queue = ${r.origin_queue}`;
      }
    }
  });

  it('refuses bad parameters naming them', () => {
    expect(() => ZDashboardQuery.parse({ range: '2h' })).toThrow(/range/);
    expect(ZDashboardQuery.safeParse({ by: 'team' }).error?.issues[0]?.path).toEqual(['by']);
    expect(ZDashboardQuery.safeParse({ extra: '1' }).success).toBe(false);
  });
});
