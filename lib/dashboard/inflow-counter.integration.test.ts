import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { findCountedFrom, findHistoryStart } from './count-inflow';
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

describe('the inflow counter', () => {
  it('counts recent minutes live and backfills older ones per minute, source and origin, marked backfilled; running again changes nothing', async () => {
    const now = new Date();
    const recent = new Date(minuteFloor(now).getTime() - 2 * MINUTE + 5_000);
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
    const recent = new Date(minuteFloor(now).getTime() - MINUTE);
    await seedMessages(5, recent);
    const ticks = await Promise.all([countInflowStep(now), countInflowStep(now)]);
    expect(ticks.filter((t) => t.locked).length).toBeGreaterThanOrEqual(1);
    await Promise.all([runUntilIdle(now), runUntilIdle(now)]);
    expect(await inflowRows()).toEqual([[iso(minuteFloor(recent)), 'orders.dlq', 'orders', 5, 'live']]);
  });

  it('a purge never lowers a count, a later arrival raises it', async () => {
    const now = new Date();
    const recent = new Date(minuteFloor(now).getTime() - 4 * MINUTE);
    const ids = await seedMessages(4, recent);
    await runUntilIdle(now);
    await prisma().message.deleteMany({ where: { id: { in: ids.slice(0, 3) } } });
    await runUntilIdle(now);
    expect(await inflowRows()).toEqual([[iso(minuteFloor(recent)), 'orders.dlq', 'orders', 4, 'live']]);
    await seedMessages(4, new Date(recent.getTime() + 1_000));
    await runUntilIdle(now);
    expect(await inflowRows()).toEqual([[iso(minuteFloor(recent)), 'orders.dlq', 'orders', 5, 'live']]);
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
    const live = new Date(minuteFloor(now).getTime() - 3 * MINUTE);
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

  it('the live recount turns a backfilled minute it recounts into a live one, keeping the larger count', async () => {
    const now = new Date();
    const minute = new Date(minuteFloor(now).getTime() - 2 * MINUTE);
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
    const older = new Date(minuteFloor(now).getTime() - 10 * 60 * MINUTE + 10_000);
    await seedMessages(2, older);
    // Ten hours back, an hour per tick.
    expect(await runUntilIdle(now)).toBeGreaterThanOrEqual(10);
    expect(await countedRange()).toEqual([iso(minuteFloor(older)), iso(minuteFloor(now))]);
    // A worker that starts now (or another replica) has nothing left to walk.
    expect(await countInflowStep(now)).toMatchObject({ locked: true, backfilled: 0, more: false });
    expect(await countedRange()).toEqual([iso(minuteFloor(older)), iso(minuteFloor(now))]);
    expect(await inflowRows()).toEqual([[iso(minuteFloor(older)), 'orders.dlq', 'orders', 2, 'backfilled']]);
  });

  it('fills the minutes missed while no worker ran, then counts on live', async () => {
    const now = new Date();
    const stopped = new Date(minuteFloor(now).getTime() - 5 * 60 * MINUTE + 30_000);
    const before = new Date(minuteFloor(stopped).getTime() - 2 * MINUTE);
    await seedMessages(1, before);
    await runUntilIdle(stopped);
    const countedFrom = iso(new Date(minuteFloor(stopped).getTime() - 15 * MINUTE));
    expect(await countedRange()).toEqual([countedFrom, iso(minuteFloor(stopped))]);

    const missed = new Date(minuteFloor(now).getTime() - 3 * 60 * MINUTE + 5_000);
    const recent = new Date(minuteFloor(now).getTime() - MINUTE);
    await seedMessages(3, missed);
    await seedMessages(1, recent);
    // Five hours uncounted, an hour per tick, oldest first.
    const first = await countInflowStep(now);
    expect(first.more).toBe(true);
    expect(await countedRange()).toEqual([countedFrom, iso(new Date(minuteFloor(stopped).getTime() + 60 * MINUTE))]);
    expect(await runUntilIdle(now)).toBeGreaterThanOrEqual(4);
    expect(await countedRange()).toEqual([countedFrom, iso(minuteFloor(now))]);
    expect(await inflowRows()).toEqual([
      [iso(minuteFloor(before)), 'orders.dlq', 'orders', 1, 'live'],
      [iso(minuteFloor(missed)), 'orders.dlq', 'orders', 3, 'backfilled'],
      [iso(minuteFloor(recent)), 'orders.dlq', 'orders', 1, 'live'],
    ]);
  });

  it('a tick told not to recount leaves the recent minutes alone and still fills one chunk', async () => {
    const now = new Date();
    const recountFrom = minuteFloor(now).getTime() - 15 * MINUTE;
    const recent = new Date(minuteFloor(now).getTime() - 2 * MINUTE);
    const older = new Date(recountFrom - 30 * MINUTE);
    await seedMessages(1, recent);
    await seedMessages(1, older);
    const tick = await countInflowStep(now, { recount: false });
    expect(tick).toMatchObject({ recounted: 0, more: false });
    expect(await inflowRows()).toEqual([[iso(minuteFloor(older)), 'orders.dlq', 'orders', 1, 'backfilled']]);
    // History filled down to the oldest message; nothing since the recount's window claimed.
    expect(await countedRange()).toEqual([iso(minuteFloor(older)), iso(new Date(recountFrom))]);
    await runUntilIdle(now);
    expect(await inflowRows()).toEqual([
      [iso(minuteFloor(older)), 'orders.dlq', 'orders', 1, 'backfilled'],
      [iso(minuteFloor(recent)), 'orders.dlq', 'orders', 1, 'live'],
    ]);
  });
  it('a tick without a recount does not mark the minutes since the last recount as counted', async () => {
    const t0 = new Date(minuteFloor(new Date()).getTime() - 90 * MINUTE + 10_000);
    await runUntilIdle(t0);
    // Stored after that recount; the next tick skips its recount, and then every worker stops.
    const arrived = new Date(t0.getTime() + 2 * MINUTE);
    await seedMessages(1, arrived);
    await countInflowStep(new Date(t0.getTime() + 3 * MINUTE), { recount: false });
    expect((await countedRange())![1]).toBe(iso(minuteFloor(t0)));
    // An hour later a worker starts again: the gap fill finds it.
    await runUntilIdle(new Date(t0.getTime() + 90 * MINUTE));
    expect(await inflowRows()).toEqual([[iso(minuteFloor(arrived)), 'orders.dlq', 'orders', 1, 'backfilled']]);
  });

  it('the minute the workers stopped in, counted in part, is counted in full by the gap fill', async () => {
    const stopped = new Date(minuteFloor(new Date()).getTime() - 60 * MINUTE + 30_000);
    await seedMessages(1, new Date(stopped.getTime() - 20_000));
    await runUntilIdle(stopped);
    expect(await inflowRows()).toEqual([[iso(minuteFloor(stopped)), 'orders.dlq', 'orders', 1, 'live']]);
    // Later in that minute, after the last tick.
    await seedMessages(1, new Date(stopped.getTime() + 20_000));
    await runUntilIdle(new Date(stopped.getTime() + 60 * MINUTE));
    expect(await inflowRows()).toEqual([[iso(minuteFloor(stopped)), 'orders.dlq', 'orders', 2, 'live']]);
  });

  it('without a clock given, counts up to the current minute of the database clock', async () => {
    const [db] = await prisma().$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
    await seedMessages(1, new Date(db!.now.getTime() - 5 * MINUTE));
    await runUntilIdle();
    const [from, to] = (await countedRange())!;
    expect(new Date(to!).getTime()).toBeGreaterThanOrEqual(minuteFloor(db!.now).getTime());
    expect(new Date(from!).getTime()).toBe(minuteFloor(db!.now).getTime() - 15 * MINUTE);
  });
});
