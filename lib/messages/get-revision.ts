import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { env } from '../env';
import { AppError } from '../errors';
import type { TTypedTable } from '../ingest/typed-headers';
import { requirePermission } from '../permissions/require-permission';
import { requireMessageInScope } from '../permissions/team-scope';
import { loadRedactor } from '../redaction/load-redactor';
import { toEditableHeaders } from './editable-headers';
import { parseMessageId } from './get-message';
import type { TRevision } from './message-dto';
import { applyRedactor, toMessageBody } from './to-message-dto';

/** Revision `number` of a message, in the form the editor loads; 0 is the message as it arrived. */
export async function getRevision({ actor, id, number }: { actor: TActor; id: string; number: string }): Promise<TRevision> {
  requirePermission(actor, 'messages:read');
  const messageId = parseMessageId(id);
  if (!/^(0|[1-9][0-9]{0,8})$/.test(number)) throw new AppError('NOT_FOUND', `No revision ${JSON.stringify(number.slice(0, 20))}`);
  const n = Number(number);
  const owner = await prisma().message.findUnique({
    where: { id: messageId }, select: { id: true, sourceQueue: true, originQueue: true, ownerTeamId: true, contentType: true, contentEncoding: true },
  });
  if (!owner) throw new AppError('NOT_FOUND', `No message with id ${id}`);
  requireMessageInScope(actor, owner);
  const limit = env().DLQ_INLINE_BODY_BYTES;
  const row = n === 0
    ? await prisma().message.findUnique({ where: { id: messageId }, select: { body: true, headers: true, size: true, ingestedAt: true } })
      .then((m) => m && { body: m.body, headers: m.headers, size: m.size, author: null, reason: null, createdAt: m.ingestedAt })
    : await prisma().messageRevision.findUnique({ where: { messageId_number: { messageId, number: n } }, omit: { body: false } });
  if (!row) throw new AppError('NOT_FOUND', n === 0 ? `No message with id ${id}` : `Message ${id} has no revision #${n}`);
  const { body, headers, redacted } = applyRedactor(await loadRedactor(actor), {
    body: row.body, headers: row.headers as TTypedTable, contentType: owner.contentType, contentEncoding: owner.contentEncoding,
  });
  const truncated = body.length > limit;
  return {
    number: n,
    body: toMessageBody(truncated ? body.subarray(0, limit) : body, truncated),
    truncated,
    size: row.size,
    headers: toEditableHeaders(headers),
    redacted,
    author: row.author,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
  };
}
