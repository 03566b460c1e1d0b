import { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { HOUR_MS, MINUTE_MS } from './baseline';

// One tick of the inflow counter (start-inflow-counter.ts). The per-minute counts in
// inflow_counts are the dashboard's history and the alerts' baseline, so they must outlive
// retention: a count is only ever raised (GREATEST), never lowered because messages were
// purged, and the history walk never overwrites a minute already counted.
//
// Each minute is counted once, from the stored messages, once it has settled: ingested_at
// is stamped when the ingest transaction begins and its rows show up when it commits, so a
// minute is counted SETTLE_MINUTES after it ends, and not before every transaction open in
// this database since then has ended (pg_stat_activity; one open longer than HOLD_MINUTES
// is not waited for, so a stuck session cannot stop the counter). The readers
// (countInflow, from findLiveFrom) count from the messages themselves only the minutes not
// counted yet. So a tick reads only the minutes that settled since the last one, and a
// dashboard only those: at a sustained inflow of thousands a second, recounting the last
// 15 minutes on every tick took PostgreSQL about 8 s of each 15 s
// (docs/decisions/performance.md, "The inflow counter under a heavy inflow").
//
// What has been counted is kept in inflow_counter_state, one row: every minute in
// [counted_from, counted_to) has been. Each tick counts forward from counted_to, at most an
// hour (while no worker ran, minutes went uncounted: that gap is filled the same way, one
// chunk per tick), up to the last settled minute; then, once caught up, older history (a
// fresh install, an upgrade) is filled backwards down to the oldest stored message, one
// chunk per tick. Because the state is in the database, a restart or a second replica
// carries on where the walk stopped instead of walking every stored message again.
//
// A minute counted after it left the last LIVE_MINUTES (the gap of a stopped worker) is
// marked so (backfilled = true), as is every minute of the history walk: it is counted from
// the messages still stored, and retention may already have purged that minute's replayed
// and discarded ones, so it draws the chart's history but is no baseline (findHistoryStart
// skips it). A minute counted live is live, also if a backfilled row of it was there.
//
// Time is the database's (ingested_at is stamped by it), not the replica's: a replica whose
// clock runs ahead must not mark minutes counted that have not happened yet.
//
// Several workers share the database: each tick runs under a transaction-level advisory
// lock, and a replica that does not get it skips the tick (another one is counting). The
// writes are idempotent besides, so a second run changes nothing.

/** The readers count at least the last minutes from the messages themselves (findLiveFrom). */
export const LIVE_MINUTES = 15;
/** How long after a minute ends it is counted at the earliest. */
export const SETTLE_MINUTES = 5;
/**
 * The longest an open transaction holds the count back. With DLQ_INFLOW_INTERVAL_MS at most
 * MAX_INFLOW_INTERVAL_MS (lib/env.ts), every minute is counted within LIVE_MINUTES of its end.
 */
export const HOLD_MINUTES = 9;
export const KEEP_DAYS = 35;
const CHUNK_MS = HOUR_MS;
const PRUNE_BATCH = 5000;

export type TInflowTick = { locked: boolean; counted: number; backfilled: number; pruned: number; more: boolean };

const minuteFloor = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * Count the minutes that settled since the last tick (or one chunk of the uncounted ones),
 * fill one chunk of older history once caught up, prune one batch. `now` (tests only)
 * stands in for the database's clock.
 */
export async function countInflowStep(now?: Date): Promise<TInflowTick> {
  return prisma().$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean; now: Date }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext('dlq-console:inflow-counter')) AS locked, now() AS now`;
    if (!lock?.locked) return { locked: false, counted: 0, backfilled: 0, pruned: 0, more: false };
    const at = (now ?? lock.now).getTime();
    const live = minuteFloor(at);
    const liveFrom = live - LIVE_MINUTES * MINUTE_MS;
    const keepFrom = at - KEEP_DAYS * 24 * HOUR_MS;
    // A statement of its own, before the count's: a transaction it finds open has either
    // committed by the count's snapshot (read committed, set on this transaction whatever
    // the server's default: each statement takes its own snapshot), or holds the count back.
    const [open] = await tx.$queryRaw<{ since: Date | null }[]>`
      SELECT min(xact_start) AS since FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;
    let settled = live - SETTLE_MINUTES * MINUTE_MS;
    if (open?.since) settled = Math.min(settled, Math.max(minuteFloor(open.since.getTime()), live - HOLD_MINUTES * MINUTE_MS));

    const [state] = await tx.$queryRaw<{ from: Date; to: Date }[]>`
      SELECT counted_from AS "from", counted_to AS "to" FROM inflow_counter_state WHERE id`;
    // A fresh install counts live from the start of the live window (the readers count
    // nothing older from the messages); anything older is history. counted_to is never past
    // the last settled minute: an earlier version counted up to the current minute, and the
    // bench's seed counts up to when it ran, so those minutes are counted again (raising).
    let to = Math.min(state ? state.to.getTime() : liveFrom, settled);
    let from = Math.min(state ? state.from.getTime() : liveFrom, to);

    // Forward: what settled since the last tick, or one chunk of a gap no worker counted
    // (what is older than retention keeps is skipped).
    let counted = 0;
    if (to < settled) {
      const start = Math.max(to, minuteFloor(keepFrom));
      const end = Math.min(start + CHUNK_MS, settled);
      counted = await countForward(tx, start, end, liveFrom);
      to = end;
    }
    const behind = to < settled;

    // Backwards, once caught up: the history below what was counted, newest first, down to
    // the oldest stored message.
    let backfilled = 0;
    let historyOpen = false;
    if (from > keepFrom) {
      const [oldest] = await tx.$queryRaw<{ at: Date | null }[]>`SELECT min(ingested_at) AS at FROM messages`;
      const floor = Math.max(keepFrom, oldest?.at ? minuteFloor(oldest.at.getTime()) : Infinity);
      if (from > floor && !behind) {
        const start = Math.max(floor, from - CHUNK_MS);
        backfilled = await tx.$executeRaw`
          ${countMinutes(start, from, Prisma.sql`true`)}
          ON CONFLICT (bucket, source_queue, origin_queue) DO NOTHING`;
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
    return { locked: true, counted, backfilled, pruned, more: behind || historyOpen || pruned === PRUNE_BATCH };
  }, { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted, timeout: 60_000 });
}

/**
 * Counts [from, to): live from `liveFrom` on, backfilled before it (the gap of a stopped
 * worker). A minute already counted has its count raised, never lowered (the bench's seed
 * and a counter of an earlier version count minutes too), and becomes live if counted live.
 */
function countForward(tx: Prisma.TransactionClient, from: number, to: number, liveFrom: number): Promise<number> {
  const backfilled = Prisma.sql`date_trunc('minute', ingested_at, 'UTC') < ${new Date(liveFrom)}`;
  return tx.$executeRaw`
    ${countMinutes(from, to, backfilled)}
    ON CONFLICT (bucket, source_queue, origin_queue) DO UPDATE
      SET count = GREATEST(inflow_counts.count, EXCLUDED.count), backfilled = inflow_counts.backfilled AND EXCLUDED.backfilled
    WHERE inflow_counts.count < EXCLUDED.count OR (inflow_counts.backfilled AND NOT EXCLUDED.backfilled)`;
}

/** The insert of the stored messages of [from, to) counted per minute, source and origin; its ON CONFLICT is the caller's. */
function countMinutes(from: number, to: number, backfilled: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO inflow_counts (bucket, source_queue, origin_queue, count, backfilled)
    SELECT date_trunc('minute', ingested_at, 'UTC'), source_queue, coalesce(origin_queue, ''), count(*), ${backfilled}
    FROM messages WHERE ingested_at >= ${new Date(from)} AND ingested_at < ${new Date(to)}
    GROUP BY 1, 2, 3`;
}
