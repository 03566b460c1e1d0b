import type { TActor } from '../actor';
import type { FailureGroup } from '../db/generated/client';
import { prisma } from '../db/prisma';
import type { TMessageStatus, TReason } from '../messages/message-dto';
import { scopeMessageWhere, scopeOf } from '../permissions/team-scope';
import type { TCategory } from './categories';
import { SUGGESTED_ACTIONS } from './categories';
import { loadExceptionMasker } from './exception-redaction';
import { TREND_HOURS, type TGroup } from './group-dto';
import type { TFramework } from './read-exception';
import { isSafeRunbookUrl, type TRunbookKind } from './runbook-dto';

// The per-group figures of a page of groups, aggregated for those groups only: status
// counts by the (group_id, status) index, the trend by the (group_id, id) index from the
// first id of the last 24 hours. No request scans the messages table.

const HOUR = 3_600_000;
const ID_ORDER_MARGIN_MS = 5 * 60_000;

async function countByStatus(actor: TActor, ids: bigint[]) {
  const rows = await prisma().message.groupBy({
    by: ['groupId', 'status'],
    where: { groupId: { in: ids }, AND: [scopeMessageWhere(actor)] },
    _count: { _all: true },
  });
  const out = new Map<bigint, Partial<Record<TMessageStatus, number>>>();
  for (const r of rows) {
    const m = out.get(r.groupId!) ?? {};
    m[r.status as TMessageStatus] = r._count._all;
    out.set(r.groupId!, m);
  }
  return out;
}

async function trends(actor: TActor, ids: bigint[], now: Date) {
  const end = Math.floor(now.getTime() / HOUR) * HOUR + HOUR;
  const since = new Date(end - TREND_HOURS * HOUR);
  const out = new Map<bigint, number[]>(ids.map((id) => [id, Array.from({ length: TREND_HOURS }, () => 0)]));
  // Ids follow ingest order only roughly (ingested_at is when the storing transaction began,
  // and a batch shares one instant): start a margin earlier, the lowest id first among ties.
  const first = await prisma().message.findFirst({
    where: { ingestedAt: { gte: new Date(since.getTime() - ID_ORDER_MARGIN_MS) } },
    orderBy: [{ ingestedAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  });
  if (!first) return out;
  const scope = scopeOf(actor);
  const rows = await prisma().$queryRaw<{ group_id: bigint; hour: number; n: bigint }[]>`
    SELECT group_id, floor(extract(epoch FROM ingested_at - ${since}::timestamptz) / 3600)::int AS hour, count(*) AS n
    FROM messages
    WHERE group_id = ANY(${ids.map(String)}::bigint[]) AND id >= ${first.id} AND ingested_at >= ${since}::timestamptz
      AND (${scope === null}::boolean OR COALESCE(origin_queue = ANY(${scope?.origins ?? []}::text[]), false) OR source_queue = ANY(${scope?.sources ?? []}::text[])
        OR COALESCE(owner_team_id = ANY(${scope?.teamIds ?? []}::uuid[]), false))
    GROUP BY 1, 2`;
  for (const r of rows) {
    const series = out.get(r.group_id);
    if (series && r.hour >= 0 && r.hour < TREND_HOURS) series[r.hour] = Number(r.n);
  }
  return out;
}

/** The newest stored message of each group the caller may see: the recorded sample may be purged or out of scope. */
async function samples(actor: TActor, ids: bigint[]) {
  const scope = scopeOf(actor);
  const rows = await prisma().$queryRaw<{ group_id: bigint; sample: bigint | null }[]>`
    SELECT g.id AS group_id, (
      SELECT m.id FROM messages m
      WHERE m.group_id = g.id
        AND (${scope === null}::boolean OR COALESCE(m.origin_queue = ANY(${scope?.origins ?? []}::text[]), false) OR m.source_queue = ANY(${scope?.sources ?? []}::text[])
          OR COALESCE(m.owner_team_id = ANY(${scope?.teamIds ?? []}::uuid[]), false))
      ORDER BY m.id DESC LIMIT 1) AS sample
    FROM unnest(${ids.map(String)}::bigint[]) AS g(id)`;
  return new Map(rows.map((r) => [r.group_id, r.sample]));
}

async function owners(origins: string[]) {
  const rows = await prisma().teamOwnership.findMany({ where: { kind: 'origin', queue: { in: origins } }, select: { queue: true, team: { select: { id: true, name: true } } } });
  return new Map(rows.map((r) => [r.queue, r.team]));
}

async function runbooks(groups: FailureGroup[]) {
  const rows = await prisma().runbook.findMany({
    where: { OR: [{ kind: 'group', key: { in: groups.map((g) => g.id.toString()) } }, { kind: 'origin', key: { in: groups.flatMap((g) => (g.originQueue ? [g.originQueue] : [])) } }] },
  });
  return new Map(rows.filter((r) => isSafeRunbookUrl(r.url)).map((r) => [`${r.kind}:${r.key}`, { kind: r.kind as TRunbookKind, url: r.url }]));
}

export async function toGroupDtos(actor: TActor, groups: FailureGroup[], now = new Date()): Promise<TGroup[]> {
  if (groups.length === 0) return [];
  const ids = groups.map((g) => g.id);
  const [statuses, trendOf, sampleOf, ownerOf, runbookOf, masker] = await Promise.all([
    countByStatus(actor, ids), trends(actor, ids, now), samples(actor, ids),
    owners(groups.flatMap((g) => (g.originQueue ? [g.originQueue] : []))), runbooks(groups), loadExceptionMasker(actor),
  ]);
  return groups.map((g) => {
    const byStatus = statuses.get(g.id) ?? {};
    const category = g.category as TCategory;
    const { exceptionType, exceptionMessage, redacted } = masker.mask({
      framework: g.framework as TFramework | null, exceptionType: g.exceptionType, exceptionMessage: g.exceptionMessage,
    });
    return {
      id: g.id.toString(),
      originQueue: g.originQueue,
      reason: g.reason as TReason,
      exceptionType,
      exceptionMessage,
      redacted,
      framework: g.framework as TFramework | null,
      firstSeenAt: g.firstSeenAt.toISOString(),
      lastSeenAt: g.lastSeenAt.toISOString(),
      messageCount: Number(g.messageCount),
      storedCount: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      trend: trendOf.get(g.id)!,
      sampleMessageId: sampleOf.get(g.id)?.toString() ?? null,
      ownerTeam: (g.originQueue && ownerOf.get(g.originQueue)) || null,
      category,
      suggestedAction: g.suggestedAction ?? SUGGESTED_ACTIONS[category],
      runbook: runbookOf.get(`group:${g.id}`) ?? (g.originQueue ? runbookOf.get(`origin:${g.originQueue}`) : undefined) ?? null,
    };
  });
}
