import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { env } from '../env';
import { AppError } from '../errors';
import { getMessageGroup } from '../groups/get-message-group';
import { requirePermission } from '../permissions/require-permission';
import { requireMessageInScope } from '../permissions/team-scope';
import { loadRedactor } from '../redaction/load-redactor';
import { toTraceFields, traceLinkOf } from '../trace/trace-link';
import type { TMessageDetail } from './message-dto';
import { ZMessageId } from './message-dto';
import { toDispatchDto, toMessageDetail, toRevisionSummary } from './to-message-dto';

export function parseMessageId(id: string): bigint {
  if (!ZMessageId.safeParse(id).success) throw new AppError('NOT_FOUND', `No message with id ${JSON.stringify(id.slice(0, 40))}`);
  return BigInt(id);
}

/** The whole message; a body over DLQ_INLINE_BODY_BYTES is cut (readMessageBody has every byte). */
export async function getMessage({ actor, id }: { actor: TActor; id: string }): Promise<TMessageDetail> {
  requirePermission(actor, 'messages:read');
  const limit = env().DLQ_INLINE_BODY_BYTES;
  const row = await prisma().message.findUnique({
    where: { id: parseMessageId(id) },
    omit: { body: false },
    include: {
      revisions: { orderBy: { number: 'asc' }, omit: { headers: true } },
      dispatches: { orderBy: { createdAt: 'desc' }, take: 100, include: { revision: { select: { number: true } } } },
    },
  });
  if (!row) throw new AppError('NOT_FOUND', `No message with id ${id}`);
  requireMessageInScope(actor, row);
  const replayOf = row.replayId
    ? await prisma().dispatch.findUnique({ where: { id: row.replayId }, select: { messageId: true } })
    : null;
  const detail = toMessageDetail(row, limit, {
    revisions: row.revisions.map(toRevisionSummary),
    dispatches: row.dispatches.map(toDispatchDto),
    replayOf: replayOf?.messageId.toString() ?? null,
    group: await getMessageGroup({ actor, groupId: row.groupId }),
  }, await loadRedactor(actor));
  // From the headers as redacted for this reader: a masked header makes no link.
  return { ...detail, ...toTraceFields(traceLinkOf(env().DLQ_TRACE_URL_TEMPLATE, detail)) };
}

/**
 * The exact bytes that arrived, or, for an actor without messages:read-sensitive, those
 * bytes with the values JSON path rules name masked (`redacted`: true). JSON path rules
 * apply to JSON bodies only: any other body comes back as it is.
 */
export async function readMessageBody({ actor, id }: { actor: TActor; id: string }) {
  requirePermission(actor, 'messages:read');
  const row = await prisma().message.findUnique({
    where: { id: parseMessageId(id) },
    select: { id: true, body: true, contentType: true, contentEncoding: true, sourceQueue: true, originQueue: true, ownerTeamId: true },
  });
  if (!row) throw new AppError('NOT_FOUND', `No message with id ${id}`);
  requireMessageInScope(actor, row);
  const masked = (await loadRedactor(actor))?.redactBody(row.body, row.contentType, row.contentEncoding);
  return { ...row, body: masked?.bytes ?? row.body, redacted: masked?.redacted ?? false };
}
