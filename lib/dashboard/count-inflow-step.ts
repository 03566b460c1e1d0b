import { Prisma } from '../db/generated/client';
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
// What has been counted is kept in inflow_counter_state, one row: every minute in
// [counted_from, counted_to) has been, live or backfilled. Each tick recounts the recent
// minutes and moves counted_to up to now; while no worker ran, minutes went uncounted, so a
// tick that finds counted_to before the recount's window first fills that gap forward, one
// chunk at a time; then older history (a fresh install, an upgrade) is filled backwards down
// to the oldest stored message, one chunk per tick. Because the state is in the database, a
// restart or a second replica carries on where the walk stopped instead of walking every
// stored message again. counted_to moves only with a recount: a tick that skips it leaves
// the minutes since the last one to the next. The gap's first minute was counted in part
// before the workers stopped, so the gap fill raises a count (GREATEST), never lowers it.
//
// Time is the database's (ingested_at is stamped by it), not the replica's: a replica whose
// clock runs ahead must not mark minutes counted that have not happened yet.
//
// Several workers share the database: each tick runs under a transaction-level advisory
// lock, and a replica that does not get it skips the tick (another one is counting). The
// writes are idempotent besides, so a second run changes nothing.

export const RECOUNT_MINUTES = 15;
export const KEEP_DAYS = 35;
const BACKFILL_CHUNK_MS = HOUR_MS;
const PRUNE_BATCH = 5000;

export type TInflowTick = { locked: boolean; recounted: number; backfilled: number; pruned: number; more: boolean };

const minuteFloor = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * Recount the recent minutes (unless `recount` is false: the caller recounted a moment ago),
 * fill one chunk of uncounted minutes, prune one batch. `now` (tests only) stands in for the
 * database's clock.
 */
export async function countInflowStep(now?: Date, { recount = true }: { recount?: boolean } = {}): Promise<TInflowTick> {
  return prisma().$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean; now: Date }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext('dlq-console:inflow-counter')) AS locked, now() AS now`;
    if (!lock?.locked) return { locked: false, recounted: 0, backfilled: 0, pruned: 0, more: false };
    const at = (now ?? lock.now).getTime();
    const live = minuteFloor(at);
    const recountFrom = live - RECOUNT_MINUTES * MINUTE_MS;
    const keepFrom = at - KEEP_DAYS * 24 * HOUR_MS;

    const recounted = recount ? await tx.$executeRaw`
      ${countMinutes({ from: recountFrom, backfilled: false })}
      ON CONFLICT (bucket, source_queue, origin_queue) DO UPDATE
        SET count = GREATEST(inflow_counts.count, EXCLUDED.count), backfilled = false
      WHERE inflow_counts.count < EXCLUDED.count OR inflow_counts.backfilled` : 0;

    const [state] = await tx.$queryRaw<{ from: Date; to: Date }[]>`
      SELECT counted_from AS "from", counted_to AS "to" FROM inflow_counter_state WHERE id`;
    // No state yet: what the recount counted (if it ran) is all that is known to be counted.
    let from = state ? state.from.getTime() : recountFrom;
    let to = state ? state.to.getTime() : recountFrom;
    let backfilled = 0;
    let chunked = false;

    // The minutes no worker counted, oldest first (what is older than retention keeps is skipped).
    if (to < recountFrom) {
      const start = Math.max(to, minuteFloor(keepFrom));
      const end = Math.min(start + BACKFILL_CHUNK_MS, recountFrom);
      backfilled += await backfill(tx, start, end, 'raise');
      to = end;
      chunked = true;
    }
    // Touching the recount's window, and recounted: counted up to now.
    const gapOpen = to < recountFrom;
    if (!gapOpen && recount) to = Math.max(to, live);

    // The history below what was counted, newest first, down to the oldest stored message.
    let historyOpen = false;
    if (from > keepFrom) {
      const [oldest] = await tx.$queryRaw<{ at: Date | null }[]>`SELECT min(ingested_at) AS at FROM messages`;
      const floor = Math.max(keepFrom, oldest?.at ? minuteFloor(oldest.at.getTime()) : Infinity);
      if (from > floor && !chunked) {
        const start = Math.max(floor, from - BACKFILL_CHUNK_MS);
        backfilled += await backfill(tx, start, from, 'keep');
        from = start;
      }
      historyOpen = from > floor;
    }

    await tx.$executeRaw`
      INSERT INTO inflow_counter_state (id, counted_from, counted_to, updated_at)
      VALUES (true, ${new Date(from)}, ${new Date(to)}, now())
      ON CONFLICT (id) DO UPDATE SET counted_from = EXCLUDED.counted_from, counted_to = EXCLUDED.counted_to, updated_at = now()`;

    const pruned = await tx.$executeRaw`
      DELETE FROM inflow_counts WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM inflow_counts WHERE bucket < ${new Date(keepFrom)} LIMIT ${PRUNE_BATCH}))`;
    return { locked: true, recounted, backfilled, pruned, more: gapOpen || historyOpen || pruned === PRUNE_BATCH };
  }, { timeout: 60_000 });
}

/**
 * Counts [from, to) from the stored messages, marked backfilled where nobody counted a
 * minute yet. A minute already counted keeps its count ('keep': history), or has it raised,
 * never lowered ('raise': the gap, whose first minute was counted in part).
 */
function backfill(tx: Prisma.TransactionClient, from: number, to: number, counted: 'keep' | 'raise'): Promise<number> {
  const select = countMinutes({ from, to, backfilled: true });
  return counted === 'keep'
    ? tx.$executeRaw`${select} ON CONFLICT (bucket, source_queue, origin_queue) DO NOTHING`
    : tx.$executeRaw`${select} ON CONFLICT (bucket, source_queue, origin_queue) DO UPDATE
        SET count = EXCLUDED.count WHERE inflow_counts.count < EXCLUDED.count`;
}

/** The insert of the stored messages from `from` (to `to`, or up to now) counted per minute, source and origin; its ON CONFLICT is the caller's. */
function countMinutes({ from, to, backfilled }: { from: number; to?: number; backfilled: boolean }): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO inflow_counts (bucket, source_queue, origin_queue, count, backfilled)
    SELECT date_trunc('minute', ingested_at, 'UTC'), source_queue, coalesce(origin_queue, ''), count(*), ${backfilled}
    FROM messages WHERE ingested_at >= ${new Date(from)}${to === undefined ? Prisma.empty : Prisma.sql` AND ingested_at < ${new Date(to)}`}
    GROUP BY 1, 2, 3`;
}
