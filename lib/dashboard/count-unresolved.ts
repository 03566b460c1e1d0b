import type { TTeamScope } from '../actor';
import { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { UNRESOLVED_STATUSES } from '../retention/retention-policy-dto';
import type { TDashboardBy } from './dashboard-dto';
import { withoutJit } from './without-jit';
import { messageConditions, type TInflowFilter } from './count-inflow';

// What is still waiting, and how replays went, per source or origin: from the stored
// messages by the (status, id) and (status, status_changed_at) indexes.

export type TUnresolvedRow = { key: string; groupId: bigint | null; n: number; oldest: Date };
export type TReplayRow = { key: string; replays: number; succeeded: number };

function keyOf(by: TDashboardBy): Prisma.Sql {
  return by === 'source' ? Prisma.sql`m.source_queue` : Prisma.sql`coalesce(m.origin_queue, '')`;
}

/** Unresolved messages per key and failure group (null: not classified yet), with the oldest one's arrival. */
export async function countUnresolved({ scope, by, filter }: { scope: TTeamScope | null; by: TDashboardBy; filter: TInflowFilter }): Promise<TUnresolvedRow[]> {
  const rows = await withoutJit(prisma().$queryRaw<{ key: string; group_id: bigint | null; n: bigint; oldest: Date }[]>`
    SELECT ${keyOf(by)} AS key, m.group_id, count(*)::bigint AS n, min(m.ingested_at) AS oldest
    FROM messages m
    WHERE m.status = ANY(${[...UNRESOLVED_STATUSES]}::text[]::message_status[]) AND ${messageConditions(scope, filter)}
    GROUP BY 1, 2`);
  return rows.map((r) => ({ key: r.key, groupId: r.group_id, n: Number(r.n), oldest: r.oldest }));
}

/**
 * Messages replayed since `since` per key, and how many of those replays did not dead-letter
 * again: a re-death is a stored message carrying the replay id (the dispatch id) that the
 * console set on the publish, as the bulk jobs' canary reads it.
 */
export async function countReplays({ scope, by, filter, since }: { scope: TTeamScope | null; by: TDashboardBy; filter: TInflowFilter; since: Date }): Promise<TReplayRow[]> {
  const rows = await withoutJit(prisma().$queryRaw<{ key: string; replays: bigint; redied: bigint }[]>`
    SELECT ${keyOf(by)} AS key, count(*)::bigint AS replays,
      count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM dispatches d JOIN messages r ON r.replay_id = d.id
        WHERE d.message_id = m.id AND d.kind = 'replay' AND d.created_at >= ${since}
      ))::bigint AS redied
    FROM messages m
    WHERE m.status = 'replayed' AND m.status_changed_at >= ${since} AND ${messageConditions(scope, filter)}
    GROUP BY 1`);
  return rows.map((r) => ({ key: r.key, replays: Number(r.replays), succeeded: Number(r.replays - r.redied) }));
}

/** Alerts firing now; a scoped reader counts those about queues its teams own. */
export async function countFiringAlerts(scope: TTeamScope | null): Promise<number> {
  const scoped = scope
    ? Prisma.sql`AND ((r.subject_kind = 'source' AND a.subject = ANY(${scope.sources}::text[])) OR (r.subject_kind = 'origin' AND a.subject = ANY(${scope.origins}::text[])))`
    : Prisma.empty;
  const [row] = await prisma().$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::bigint AS n FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE a.state = 'firing' ${scoped}`;
  return Number(row?.n ?? 0);
}

/** A fresh install: no source configured and no message stored. */
export async function isFreshInstall(): Promise<boolean> {
  const [row] = await prisma().$queryRaw<{ fresh: boolean }[]>`
    SELECT NOT EXISTS (SELECT 1 FROM sources) AND NOT EXISTS (SELECT 1 FROM messages) AS fresh`;
  return row?.fresh ?? true;
}
