import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { isMessageInScope, requireMessageInScope } from '../permissions/team-scope';
import { loadRedactor } from '../redaction/load-redactor';
import { parseMessageId } from './get-message';
import type { TReason, TTimelineItem } from './message-dto';

const MAX_ITEMS = 1000;

/**
 * A message's history, oldest first: its ingest, every audit event about it (edits,
 * actions, publish outcomes), and each replay of it that dead-lettered again.
 */
export async function getMessageTimeline({ actor, id }: { actor: TActor; id: string }): Promise<{ items: TTimelineItem[]; truncated: boolean }> {
  requirePermission(actor, 'messages:read');
  const messageId = parseMessageId(id);
  const message = await prisma().message.findUnique({
    where: { id: messageId }, select: { ingestedAt: true, sourceQueue: true, reason: true, originQueue: true, ownerTeamId: true },
  });
  if (!message) throw new AppError('NOT_FOUND', `No message with id ${id}`);
  requireMessageInScope(actor, { id, ...message });
  const [events, redeaths, redactor] = await Promise.all([
    prisma().auditEvent.findMany({ where: { messageId }, orderBy: { id: 'asc' }, take: MAX_ITEMS + 1 }),
    prisma().$queryRaw<{ id: bigint; at: Date; dispatchId: string; reason: TReason; origin: string | null; source: string; owner: string | null }[]>`
      SELECT m.id, m.ingested_at AS at, m.replay_id::text AS "dispatchId", m.reason::text AS reason, m.origin_queue AS origin, m.source_queue AS source, m.owner_team_id::text AS owner
      FROM messages m JOIN dispatches d ON d.id = m.replay_id
      WHERE d.message_id = ${messageId}
      ORDER BY m.id LIMIT ${MAX_ITEMS}`,
    loadRedactor(actor),
  ]);
  const items: TTimelineItem[] = [
    { kind: 'ingested', at: message.ingestedAt.toISOString(), source: message.sourceQueue, reason: message.reason, origin: message.originQueue },
    ...events.slice(0, MAX_ITEMS).map((e): TTimelineItem => {
      // Events recorded before a rule existed may hold its values: mask at read time too.
      const { before, after, redacted } = redactor?.redactAuditEvent({ before: e.before, after: e.after }) ?? { before: e.before, after: e.after, redacted: false };
      return {
        kind: 'audit', at: e.at.toISOString(), id: e.id.toString(), action: e.action, actor: e.actor, reason: e.reason,
        target: e.target, result: e.result, before, after, ...(redacted ? { redacted } : {}),
      };
    }),
    // A redirect's copy may die in another team's queue: a scoped reader does not see it.
    ...redeaths.filter((r) => isMessageInScope(actor, { sourceQueue: r.source, originQueue: r.origin, ownerTeamId: r.owner })).map((r): TTimelineItem => ({
      kind: 'redeath', at: r.at.toISOString(), messageId: r.id.toString(), dispatchId: r.dispatchId, reason: r.reason, origin: r.origin,
    })),
  ];
  // Stable: equal times keep ingest, then audit order, then re-deaths.
  items.sort((a, b) => a.at.localeCompare(b.at));
  return { items, truncated: events.length > MAX_ITEMS };
}
