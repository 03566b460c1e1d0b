import { prisma } from '../db/prisma';
import { HOUR_MS, MINUTE_MS } from './baseline';

// One tick of the inflow counter (start-inflow-counter.ts). The per-minute counts in
// inflow_counts are the dashboard's history and the alerts' baseline, so they must outlive
// retention: a count is only ever raised (GREATEST), never lowered because messages were
// purged, and a backfilled minute never overwrites one already counted.
//
// A backfilled row is marked so (backfilled = true): it is counted from the messages still
// stored, and retention may already have purged that minute's replayed and discarded ones,
// so it draws the chart's history but is no baseline (findHistoryStart skips it). The live
// recount writes backfilled = false, also onto a backfilled row it recounts.
//
// Several workers share the database: each tick runs under a transaction-level advisory
// lock, and a replica that does not get it skips the tick (another one is counting). The
// writes are idempotent besides, so a second run changes nothing.

export const RECOUNT_MINUTES = 15;
export const KEEP_DAYS = 35;
const BACKFILL_CHUNK_MS = HOUR_MS;
const PRUNE_BATCH = 5000;

export type TInflowCounterState = {
  /** The backfill walks back from here (exclusive) to the oldest stored message; null: not started. */
  backfillBefore: Date | null;
  backfillDone: boolean;
};

export type TInflowTick = { locked: boolean; recounted: number; backfilled: number; pruned: number; more: boolean };

export function newInflowCounterState(): TInflowCounterState {
  return { backfillBefore: null, backfillDone: false };
}

/** Recount the recent minutes, backfill one older chunk, prune one batch; `now` is for tests. */
export async function countInflowStep(state: TInflowCounterState, now: Date = new Date()): Promise<TInflowTick> {
  const recountFrom = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - RECOUNT_MINUTES * MINUTE_MS);
  const keepFrom = new Date(now.getTime() - KEEP_DAYS * 24 * HOUR_MS);
  return prisma().$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('dlq-console:inflow-counter')) AS locked`;
    if (!lock?.locked) return { locked: false, recounted: 0, backfilled: 0, pruned: 0, more: false };

    const recounted = await tx.$executeRaw`
      INSERT INTO inflow_counts (bucket, source_queue, origin_queue, count, backfilled)
      SELECT date_trunc('minute', ingested_at, 'UTC'), source_queue, coalesce(origin_queue, ''), count(*), false
      FROM messages WHERE ingested_at >= ${recountFrom}
      GROUP BY 1, 2, 3
      ON CONFLICT (bucket, source_queue, origin_queue) DO UPDATE
        SET count = GREATEST(inflow_counts.count, EXCLUDED.count), backfilled = false
      WHERE inflow_counts.count < EXCLUDED.count OR inflow_counts.backfilled`;

    let backfilled = 0;
    if (!state.backfillDone) {
      if (state.backfillBefore === null) state.backfillBefore = recountFrom;
      const [oldest] = await tx.$queryRaw<{ at: Date | null }[]>`SELECT min(ingested_at) AS at FROM messages`;
      const floor = Math.max(keepFrom.getTime(), oldest?.at ? Math.floor(oldest.at.getTime() / MINUTE_MS) * MINUTE_MS : Infinity);
      const before = state.backfillBefore.getTime();
      if (!(before > floor)) {
        state.backfillDone = true;
      } else {
        const from = new Date(Math.max(floor, before - BACKFILL_CHUNK_MS));
        backfilled = await tx.$executeRaw`
          INSERT INTO inflow_counts (bucket, source_queue, origin_queue, count, backfilled)
          SELECT date_trunc('minute', ingested_at, 'UTC'), source_queue, coalesce(origin_queue, ''), count(*), true
          FROM messages WHERE ingested_at >= ${from} AND ingested_at < ${state.backfillBefore}
          GROUP BY 1, 2, 3
          ON CONFLICT (bucket, source_queue, origin_queue) DO NOTHING`;
        state.backfillBefore = from;
        state.backfillDone = from.getTime() <= floor;
      }
    }

    const pruned = await tx.$executeRaw`
      DELETE FROM inflow_counts WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM inflow_counts WHERE bucket < ${keepFrom} LIMIT ${PRUNE_BATCH}))`;
    return { locked: true, recounted, backfilled, pruned, more: !state.backfillDone || pruned === PRUNE_BATCH };
  }, { timeout: 60_000 });
}
