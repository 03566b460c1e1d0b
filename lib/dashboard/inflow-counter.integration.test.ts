import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pointPrismaAt, prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { countInflow, findCountedFrom, findHistoryStart, findLiveFrom } from './count-inflow';
import { countInflowStep } from './count-inflow-step';
import { MINUTE, inflowRows, minuteFloor, seedMessages } from './dashboard-fixture';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('inflow'); });
afterAll(async () => db?.drop());
beforeEach(async () => {
  await prisma().$executeRaw`TRUNCATE inflow_counts, inflow_counter_state`;
  await prisma().$executeRaw`DELETE FROM messages`;
});

/** Ticks until the counter has nothing more to do right away (the backfill walked back to the oldest message); the ticks that did. */
async function runUntilIdle(now?: Date) {
  for (let i = 1; i <= 2000; i++) {
    const tick = await countInflowStep(now);
    if (tick.locked && !tick.more) return i;
  }
  throw new Error('the inflow counter never went idle');
}

/** What the counter has recorded as counted: [from, to) as ISO strings. */
async function countedRange() {
  const state = await prisma().inflowCounterState.findUnique({ where: { id: true } });
  return state && [iso(state.countedFrom), iso(state.countedTo)];
}

const iso = (d: Date) => d.toISOString();

/** Opens a transaction on the client and leaves it open; the minute it began in. */
async function beginTransaction(client: pg.ClientBase) {
  await client.query('BEGIN');
  const { rows: [open] } = await client.query<{ began: Date }>('SELECT now() AS began');
  return minuteFloor(open!.began);
}

describe('the inflow counter', () => {
  it('counts settled minutes live and backfills older ones per minute, source and origin, marked backfilled; running again changes nothing', async () => {
    const now = new Date();
    const recent = new Date(minuteFloor(now).getTime() - 7 * MINUTE + 5_000);
    const older = new Date(minuteFloor(now).getTime() - 3 * 60 * MINUTE + 10_000);
    await seedMessages(3, recent);
    await seedMessages(1, recent, { originQueue: null });
    await seedMessages(2, recent, { sourceQueue: 'billing.dlq', originQueue: 'billing' });
    await seedMessages(2, older);
    const expected = [
      [iso(minuteFloor(older)), 'orders.dlq', 'orders', 2, 'backfilled'],
      [iso(minuteFloor(recent)), 'billing.dlq', 'billing', 2, 'live'],
      [iso(minuteFloor(recent)), 'orders.dlq', '', 1, 'live'],
      [iso(minuteFloor(recent)), 'orders.dlq', 'orders', 3, 'live'],
    ];
    await runUntilIdle(now);
    expect(await inflowRows()).toEqual(expected);
    await runUntilIdle(now);
    expect(await inflowRows()).toEqual(expected);
  });

  it('two replicas ticking at once count each message once', async () => {
    const now = new Date();
    const recent = new Date(minuteFloor(now).getTime() - 6 * MINUTE);
    await seedMessages(5, recent);
    const ticks = await Promise.all([countInflowStep(now), countInflowStep(now)]);
    expect(ticks.filter((t) => t.locked).length).toBeGreaterThanOrEqual(1);
    await Promise.all([runUntilIdle(now), runUntilIdle(now)]);
    expect(await inflowRows()).toEqual([[iso(minuteFloor(recent)), 'orders.dlq', 'orders', 5, 'live']]);
  });

  it('counts each minute once, on the first tick after it settled', async () => {
    const t0 = new Date();
    const minute = new Date(minuteFloor(t0).getTime() - 3 * MINUTE);
    await seedMessages(1, minute);
    await runUntilIdle(t0);
    // Not settled yet: counted up to five minutes before the current one.
    expect(await inflowRows()).toEqual([]);
    expect((await countedRange())![1]).toBe(iso(new Date(minuteFloor(t0).getTime() - 5 * MINUTE)));
    // Stored before it settled (an ingest transaction that began in that minute and took a while).
    await seedMessages(1, new Date(minute.getTime() + 30_000));
    const t1 = new Date(t0.getTime() + 2 * MINUTE);
    await runUntilIdle(t1);
    expect(await inflowRows()).toEqual([]);
    const settled = new Date(minute.getTime() + 6 * MINUTE);
    expect(await countInflowStep(settled)).toMatchObject({ locked: true, counted: 1, more: false });
    expect(await inflowRows()).toEqual([[iso(minute), 'orders.dlq', 'orders', 2, 'live']]);
    // Counted: a later tick does not read it again. (A row could show up in it now only from a
    // transaction open longer than HOLD_MINUTES, or one of a role this one cannot see.)
    await seedMessages(1, new Date(minute.getTime() + 40_000));
    expect(await countInflowStep(new Date(settled.getTime() + 30_000))).toMatchObject({ locked: true, counted: 0 });
    expect(await inflowRows()).toEqual([[iso(minute), 'orders.dlq', 'orders', 2, 'live']]);
  });

  it('waits for a transaction open since before the minute settled, but not longer than nine minutes', async () => {
    const client = await prisma().pool.connect();
    try {
      const minute = await beginTransaction(client);
      // Stored in that transaction, stamped when it began, not committed yet.
      await client.query(`
        INSERT INTO messages (source_queue, fingerprint, origin_queue, reason, routing_keys, death_count, size, is_large, body,
          properties, headers, x_death, delivery_exchange, delivery_routing_key)
        VALUES ('orders.dlq', '\\x01', 'orders', 'rejected', ARRAY['orders'], 1, 2, false, '\\x7b7d', '{}', '{}', '[]', '', 'orders.dlq')`);
      const later = new Date(minute.getTime() + 7 * MINUTE);
      await runUntilIdle(later);
      // Five minutes have passed since, but the transaction is still open: not counted.
      expect((await countedRange())![1]).toBe(iso(minute));
      await client.query('COMMIT');
      await runUntilIdle(later);
      expect((await countedRange())![1]).toBe(iso(new Date(minute.getTime() + 2 * MINUTE)));
      expect(await inflowRows()).toEqual([[iso(minute), 'orders.dlq', 'orders', 1, 'live']]);

      // A session left open (a backup, a forgotten psql) holds the count back nine minutes at most.
      await client.query('BEGIN');
      await client.query('SELECT 1');
      const stuck = new Date(minute.getTime() + 30 * MINUTE);
      await runUntilIdle(stuck);
      expect((await countedRange())![1]).toBe(iso(new Date(minute.getTime() + 21 * MINUTE)));
      await client.query('ROLLBACK');
    } finally {
      // Closed, not pooled: a failed assertion may have left its transaction open.
      client.release(true);
    }
  });

  it('is held back only by the transactions pg_stat_activity shows its role: its own role\'s, or every one with pg_read_all_stats', async () => {
    // The tests connect as a superuser, which sees every session; the console's role in
    // production may not (docs/scaling.md). An ordinary role of its own, for this test only.
    const role = `dlq_inflow_${randomBytes(5).toString('hex')}`;
    const roleUrl = new URL(db.url);
    roleUrl.username = role;
    roleUrl.password = randomBytes(12).toString('hex');
    const admin = new pg.Client({ connectionString: db.url });
    const superuser = new pg.Client({ connectionString: db.url });
    const sameRole = new pg.Client({ connectionString: roleUrl.toString() });
    try {
      await prisma().$executeRawUnsafe(`CREATE ROLE ${role} LOGIN PASSWORD '${roleUrl.password}'`);
      await prisma().$executeRawUnsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
      await Promise.all([admin.connect(), superuser.connect(), sameRole.connect()]);
      await pointPrismaAt(roleUrl.toString());
      // From no counter state, how far the counter, as that role, counts at `at`: up to five
      // minutes before it, or only up to the minute an open transaction it sees began in.
      const countedTo = async (at: Date) => {
        await admin.query('DELETE FROM inflow_counter_state');
        await runUntilIdle(at);
        return (await countedRange())![1];
      };

      // Another role's transaction: its xact_start is hidden from this role, so it holds nothing.
      const minute = await beginTransaction(superuser);
      const later = new Date(minute.getTime() + 7 * MINUTE);
      const unheld = iso(new Date(minute.getTime() + 2 * MINUTE));
      expect(await countedTo(later)).toBe(unheld);
      // With pg_read_all_stats it sees it, and holds the count back to the minute it began in.
      await admin.query(`GRANT pg_read_all_stats TO ${role}`);
      expect(await countedTo(later)).toBe(iso(minute));
      await admin.query(`REVOKE pg_read_all_stats FROM ${role}`);
      expect(await countedTo(later)).toBe(unheld);
      await superuser.query('ROLLBACK');

      // A transaction of its own role it sees without any grant.
      const own = await beginTransaction(sameRole);
      const ownLater = new Date(own.getTime() + 7 * MINUTE);
      expect(await countedTo(ownLater)).toBe(iso(own));
      await sameRole.query('ROLLBACK');
      expect(await countedTo(ownLater)).toBe(iso(new Date(own.getTime() + 2 * MINUTE)));
    } finally {
      try {
        await Promise.allSettled([admin.end(), superuser.end(), sameRole.end()]);
        await pointPrismaAt(db.url);
      } finally {
        // Cluster-wide, unlike the test's database: dropped whatever failed above.
        await prisma().$executeRawUnsafe(`DROP OWNED BY ${role}`).catch(() => {});
        await prisma().$executeRawUnsafe(`DROP ROLE IF EXISTS ${role}`);
      }
    }
  });

  it('the readers count from the messages only the minutes the counter has not counted, and at least the last 15', async () => {
    const now = new Date();
    const floor = minuteFloor(now).getTime();
    const counted = new Date(floor - 10 * MINUTE);
    const unsettled = new Date(floor - 3 * MINUTE);
    await seedMessages(2, counted);
    await seedMessages(1, unsettled);
    expect(await findLiveFrom(now)).toEqual(new Date(floor - 15 * MINUTE));
    await runUntilIdle(now);
    const liveFrom = await findLiveFrom(now);
    expect(liveFrom).toEqual(new Date(floor - 5 * MINUTE));
    const rows = await countInflow({ scope: null, windows: [{ from: new Date(floor - 60 * MINUTE), to: new Date(floor + MINUTE) }], unit: 'minute', by: null, filter: {}, liveFrom });
    expect(rows.map((r) => [iso(r.bucket), r.n])).toEqual(expect.arrayContaining([[iso(counted), 2], [iso(unsettled), 1]]));
    expect(rows).toHaveLength(2);
    // Read at an earlier moment than the counter's: nothing after it from the messages.
    expect(await findLiveFrom(new Date(floor - 20 * MINUTE))).toEqual(new Date(floor - 20 * MINUTE));
    // A web replica whose clock runs 20 minutes ahead of the database still reads what is not counted.
    expect(await findLiveFrom(new Date(floor + 20 * MINUTE))).toEqual(new Date(floor - 5 * MINUTE));
    // The counter fell behind (every worker stopped an hour ago): the last 15 minutes still are.
    await prisma().inflowCounterState.update({ where: { id: true }, data: { countedFrom: new Date(floor - 75 * MINUTE), countedTo: new Date(floor - 60 * MINUTE) } });
    expect(await findLiveFrom(now)).toEqual(new Date(floor - 15 * MINUTE));
  });

  it('a purge never lowers a count', async () => {
    const now = new Date();
    const recent = new Date(minuteFloor(now).getTime() - 8 * MINUTE);
    const ids = await seedMessages(4, recent);
    await runUntilIdle(now);
    await prisma().message.deleteMany({ where: { id: { in: ids.slice(0, 3) } } });
    // Counted again from what is stored now (a worker without state counts the live window).
    await prisma().$executeRaw`TRUNCATE inflow_counter_state`;
    await runUntilIdle(new Date(now.getTime() + 2 * MINUTE));
    expect(await inflowRows()).toEqual([[iso(minuteFloor(recent)), 'orders.dlq', 'orders', 4, 'live']]);
  });

  it('the backfill fills only minutes nobody counted, and rows older than 35 days are pruned', async () => {
    const now = new Date();
    const gap = new Date(minuteFloor(now).getTime() - 5 * 60 * MINUTE);
    const counted = new Date(minuteFloor(now).getTime() - 6 * 60 * MINUTE);
    await seedMessages(2, gap);
    await seedMessages(1, counted);
    // Counted while more messages were stored than now are (retention purged some since).
    await prisma().inflowCount.create({ data: { bucket: counted, sourceQueue: 'orders.dlq', originQueue: 'orders', count: 9 } });
    const ancient = new Date(now.getTime() - 36 * 24 * 60 * MINUTE);
    await prisma().inflowCount.create({ data: { bucket: minuteFloor(ancient), sourceQueue: 'orders.dlq', originQueue: 'orders', count: 1 } });
    await runUntilIdle(now);
    expect(await inflowRows()).toEqual([
      [iso(counted), 'orders.dlq', 'orders', 9, 'live'],
      [iso(gap), 'orders.dlq', 'orders', 2, 'backfilled'],
    ]);
  });

  it('after an upgrade the baseline history starts at the first live count, not at the backfilled days (retention purged some of their messages)', async () => {
    const now = new Date();
    const live = new Date(minuteFloor(now).getTime() - 7 * MINUTE);
    const weekAgo = minuteFloor(new Date(now.getTime() - 7 * 24 * 60 * MINUTE));
    await seedMessages(1, weekAgo); // what retention left of that minute
    await seedMessages(2, live);
    await runUntilIdle(now);
    expect(await inflowRows()).toEqual([
      [iso(weekAgo), 'orders.dlq', 'orders', 1, 'backfilled'],
      [iso(live), 'orders.dlq', 'orders', 2, 'live'],
    ]);
    expect(await findHistoryStart()).toEqual(live);
    expect(await findCountedFrom()).toEqual(weekAgo);
    // Inside a transaction too (the alert evaluator reads it in its own).
    expect(await prisma().$transaction((tx) => findHistoryStart(tx))).toEqual(live);
  });

  it('counting a minute live turns a backfilled row of it into a live one, keeping the larger count', async () => {
    const now = new Date();
    const minute = new Date(minuteFloor(now).getTime() - 7 * MINUTE);
    await prisma().inflowCount.create({ data: { bucket: minute, sourceQueue: 'orders.dlq', originQueue: 'orders', count: 7, backfilled: true } });
    await prisma().inflowCount.create({ data: { bucket: minute, sourceQueue: 'orders.dlq', originQueue: 'billing', count: 1, backfilled: true } });
    await seedMessages(3, minute);
    await seedMessages(4, minute, { originQueue: 'billing' });
    expect(await findHistoryStart()).toBeNull();
    await runUntilIdle(now);
    expect(await inflowRows()).toEqual([
      [iso(minute), 'orders.dlq', 'billing', 4, 'live'],
      [iso(minute), 'orders.dlq', 'orders', 7, 'live'],
    ]);
    expect(await findHistoryStart()).toEqual(minute);
  });

  it('walks the stored history once: a restart or a second replica carries on from the state in the database', async () => {
    const now = new Date();
    const settled = iso(new Date(minuteFloor(now).getTime() - 5 * MINUTE));
    const older = new Date(minuteFloor(now).getTime() - 10 * 60 * MINUTE + 10_000);
    await seedMessages(2, older);
    // Ten hours back, an hour per tick.
    expect(await runUntilIdle(now)).toBeGreaterThanOrEqual(10);
    expect(await countedRange()).toEqual([iso(minuteFloor(older)), settled]);
    // A worker that starts now (or another replica) has nothing left to walk.
    expect(await countInflowStep(now)).toMatchObject({ locked: true, counted: 0, backfilled: 0, more: false });
    expect(await countedRange()).toEqual([iso(minuteFloor(older)), settled]);
    expect(await inflowRows()).toEqual([[iso(minuteFloor(older)), 'orders.dlq', 'orders', 2, 'backfilled']]);
  });

  it('fills the minutes missed while no worker ran forward, an hour per tick, before any older history, then counts on live', async () => {
    const now = new Date();
    const stopped = new Date(minuteFloor(now).getTime() - 5 * 60 * MINUTE + 30_000);
    const before = new Date(minuteFloor(stopped).getTime() - 7 * MINUTE);
    await seedMessages(1, before);
    await runUntilIdle(stopped);
    const countedFrom = iso(new Date(minuteFloor(stopped).getTime() - 15 * MINUTE));
    const stoppedAt = minuteFloor(stopped).getTime() - 5 * MINUTE;
    expect(await countedRange()).toEqual([countedFrom, iso(new Date(stoppedAt))]);

    const missed = new Date(minuteFloor(now).getTime() - 3 * 60 * MINUTE + 5_000);
    const recent = new Date(minuteFloor(now).getTime() - 6 * MINUTE);
    const history = new Date(minuteFloor(stopped).getTime() - 2 * 60 * MINUTE);
    // Counted by the gap fill just before the last 15 minutes (backfilled) and in them (live).
    const lastBackfilled = new Date(minuteFloor(now).getTime() - 16 * MINUTE);
    const firstLive = new Date(minuteFloor(now).getTime() - 15 * MINUTE);
    await seedMessages(3, missed);
    await seedMessages(1, recent);
    await seedMessages(1, history);
    await seedMessages(1, lastBackfilled);
    await seedMessages(1, firstLive);
    // Five hours uncounted, an hour per tick, oldest first; the history below waits.
    const first = await countInflowStep(now);
    expect(first).toMatchObject({ backfilled: 0, more: true });
    expect(await countedRange()).toEqual([countedFrom, iso(new Date(stoppedAt + 60 * MINUTE))]);
    expect(await runUntilIdle(now)).toBeGreaterThanOrEqual(4);
    expect(await countedRange()).toEqual([iso(minuteFloor(history)), iso(new Date(minuteFloor(now).getTime() - 5 * MINUTE))]);
    expect(await inflowRows()).toEqual([
      [iso(minuteFloor(history)), 'orders.dlq', 'orders', 1, 'backfilled'],
      [iso(minuteFloor(before)), 'orders.dlq', 'orders', 1, 'live'],
      [iso(minuteFloor(missed)), 'orders.dlq', 'orders', 3, 'backfilled'],
      [iso(lastBackfilled), 'orders.dlq', 'orders', 1, 'backfilled'],
      [iso(firstLive), 'orders.dlq', 'orders', 1, 'live'],
      [iso(minuteFloor(recent)), 'orders.dlq', 'orders', 1, 'live'],
    ]);
  });

  it('a message in a minute not yet settled when every worker stopped is counted by the gap fill', async () => {
    const t0 = new Date(minuteFloor(new Date()).getTime() - 90 * MINUTE + 10_000);
    await runUntilIdle(t0);
    const arrived = new Date(t0.getTime() - 2 * MINUTE);
    await seedMessages(1, arrived);
    await countInflowStep(new Date(t0.getTime() + MINUTE));
    expect((await countedRange())![1]).toBe(iso(new Date(minuteFloor(t0).getTime() - 4 * MINUTE)));
    // An hour later a worker starts again.
    await runUntilIdle(new Date(t0.getTime() + 90 * MINUTE));
    expect(await inflowRows()).toEqual([[iso(minuteFloor(arrived)), 'orders.dlq', 'orders', 1, 'backfilled']]);
  });

  it('a minute an earlier version counted in part (it recounted the current minute) is counted in full, and stays live', async () => {
    const stopped = new Date(minuteFloor(new Date()).getTime() - 60 * MINUTE + 30_000);
    const minute = minuteFloor(stopped);
    await seedMessages(1, new Date(stopped.getTime() - 20_000));
    // What that version left: the current minute counted so far, and counted up to it.
    await prisma().inflowCount.create({ data: { bucket: minute, sourceQueue: 'orders.dlq', originQueue: 'orders', count: 1 } });
    await prisma().inflowCounterState.create({ data: { id: true, countedFrom: new Date(minute.getTime() - 15 * MINUTE), countedTo: minute } });
    // Later in that minute, after its last tick.
    await seedMessages(1, new Date(stopped.getTime() + 20_000));
    await runUntilIdle(new Date(stopped.getTime() + 60 * MINUTE));
    expect(await inflowRows()).toEqual([[iso(minute), 'orders.dlq', 'orders', 2, 'live']]);
  });

  it('after an upgrade right away, the minutes an earlier version counted before they settled are counted again', async () => {
    const stopped = new Date(minuteFloor(new Date()).getTime() - 60 * MINUTE + 30_000);
    const minute = minuteFloor(stopped);
    const before = new Date(minute.getTime() - MINUTE);
    await seedMessages(1, before);
    // That version recounted the last 15 minutes and counted up to the current one.
    await prisma().inflowCount.create({ data: { bucket: before, sourceQueue: 'orders.dlq', originQueue: 'orders', count: 1 } });
    await prisma().inflowCounterState.create({ data: { id: true, countedFrom: new Date(minute.getTime() - 15 * MINUTE), countedTo: minute } });
    // Its last tick did not see this one yet (its transaction committed after).
    await seedMessages(1, new Date(before.getTime() + 50_000));
    await runUntilIdle(new Date(stopped.getTime() + MINUTE));
    expect((await countedRange())![1]).toBe(iso(new Date(minute.getTime() - 4 * MINUTE)));
    await runUntilIdle(new Date(stopped.getTime() + 6 * MINUTE));
    expect(await inflowRows()).toEqual([[iso(before), 'orders.dlq', 'orders', 2, 'live']]);
  });

  it('without a clock given, counts up to five minutes before the current minute of the database clock', async () => {
    const [db] = await prisma().$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
    const stored = new Date(db!.now.getTime() - 7 * MINUTE);
    await seedMessages(1, stored);
    await runUntilIdle();
    const [from, to] = (await countedRange())!;
    expect(new Date(to!).getTime()).toBeGreaterThanOrEqual(minuteFloor(db!.now).getTime() - 5 * MINUTE);
    expect(new Date(from!).getTime()).toBe(minuteFloor(db!.now).getTime() - 15 * MINUTE);
    expect(await inflowRows()).toEqual([[iso(minuteFloor(stored)), 'orders.dlq', 'orders', 1, 'live']]);
  });
});
