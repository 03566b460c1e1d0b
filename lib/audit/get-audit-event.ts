import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { isMessageId, type TDispatch } from '../messages/message-dto';
import { toDispatchDto } from '../messages/to-message-dto';
import { requirePermission } from '../permissions/require-permission';
import { toAuditEventDto, type TAuditEventDto } from './audit-event-dto';
import { isEventInScope } from './audit-where';
import { loadAuditRedactor } from './load-audit-redactor';

// One audit event with what an auditor asks next: which bytes did this send or save, and
// did the publish work. An event stays as it was written (a replay request stays
// "pending"); the dispatches it made say how it ended.

/** Revision 0 is the message as it arrived. `exists` is false once retention removed the message. */
export type TAuditRevisionLink = { messageId: string; number: number; exists: boolean; href: string; apiHref: string };

export type TAuditEventDetail = TAuditEventDto & {
  /** The exact bytes the event is about: the revision an edit saved, or the one a replay or redirect sent. */
  revision: TAuditRevisionLink | null;
  /** The publishes a replay or redirect request made, or the one a dispatch event settled, as they stand now. */
  dispatches: TDispatch[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const field = (value: unknown, key: string): unknown => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined);

/** after.dispatchIds of a replay or redirect request; after.dispatchId of a dispatch outcome. */
function dispatchIdsOf(after: unknown): string[] {
  const many = field(after, 'dispatchIds');
  const one = field(after, 'dispatchId');
  const ids = Array.isArray(many) ? many : [one];
  return ids.filter((id): id is string => typeof id === 'string' && UUID.test(id)).slice(0, 100);
}

async function revisionLink(messageId: bigint, number: number): Promise<TAuditRevisionLink> {
  const exists = number === 0
    ? (await prisma().message.count({ where: { id: messageId } })) > 0
    : (await prisma().messageRevision.count({ where: { messageId, number } })) > 0;
  return {
    messageId: messageId.toString(),
    number,
    exists,
    // The message page at that revision, and the API that serves its bytes and headers.
    href: `/messages/${messageId}?revision=${number}`,
    apiHref: `/api/v1/messages/${messageId}/revisions/${number}`,
  };
}

export async function getAuditEvent({ actor, id }: { actor: TActor; id: string }): Promise<TAuditEventDetail> {
  requirePermission(actor, 'audit:read');
  const notFound = new AppError('NOT_FOUND', `No audit event with id ${JSON.stringify(id.slice(0, 40))}`);
  if (!isMessageId(id)) throw notFound;
  const row = await prisma().auditEvent.findUnique({ where: { id: BigInt(id) } });
  // A team-scoped reader sees only the events about its teams' messages; any other looks absent.
  if (!row || !isEventInScope(actor, row)) throw notFound;
  const event = toAuditEventDto(row, await loadAuditRedactor({ actor }));

  const dispatchIds = row.messageId === null ? [] : dispatchIdsOf(row.after);
  const dispatches = dispatchIds.length === 0 ? [] : await prisma().dispatch.findMany({
    where: { id: { in: dispatchIds }, messageId: row.messageId! },
    include: { revision: { select: { number: true } } },
    orderBy: { createdAt: 'asc' },
  });
  const recorded = field(row.after, 'revision');
  const number = typeof recorded === 'number' && Number.isInteger(recorded) && recorded >= 0 ? recorded : dispatches[0] ? (dispatches[0].revision?.number ?? 0) : null;
  return {
    ...event,
    revision: row.messageId !== null && number !== null ? await revisionLink(row.messageId, number) : null,
    dispatches: dispatches.map(toDispatchDto),
  };
}
