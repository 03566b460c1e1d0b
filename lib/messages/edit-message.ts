import { createHash } from 'node:crypto';
import { actorLabel } from '../actor';
import type { TAuditEventInput } from '../audit/record-audit-event';
import { assertContract } from '../contracts/check-contract';
import { prisma } from '../db/prisma';
import { env } from '../env';
import { requirePermission } from '../permissions/require-permission';
import { requireMessageInScope } from '../permissions/team-scope';
import { parseMessageId } from './get-message';
import { AppError } from '../errors';
import { findJsonError } from '../validation/json-error';
import { canonicalJson } from '../ingest/to-dead-letter-row';
import type { TTypedTable } from '../ingest/typed-headers';
import type { TEditRequest } from './action-input';
import { fromEditableHeaders, isEditableHeader } from './editable-headers';
import { isJsonContentType } from './is-json-content-type';
import { assertNotDiscarded, assertNotPublishing, runMessageAction, type TActionRequest } from './run-message-action';
import { canActor } from '../permissions/require-permission';
import { createRedactor } from '../redaction/create-redactor';
import { loadRedactionRules } from '../redaction/load-redactor';
import { maskForAudit, type THeaderChanges, type THeaderValueChange } from '../redaction/mask-for-audit';

// An edit is a new immutable revision: the bytes that arrived never change (invariant 5).

export type TEditResult = { revision: { id: string; number: number } };

function decodeBody({ encoding, data }: TEditRequest['body']): Buffer {
  if (encoding === 'utf8') return Buffer.from(data, 'utf8');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) throw new AppError('INVALID_INPUT', 'Body: "data" is not base64');
  return Buffer.from(data, 'base64');
}

/** A JSON parse error with the line and column an operator can find in the editor. */
export function describeJsonError(text: string): string | null {
  return findJsonError(text)?.message ?? null;
}

/** Which headers the edit added, removed or changed, with their values (masked before recording: maskForAudit). */
function headerChanges(before: TTypedTable, after: TTypedTable): THeaderChanges {
  const keys = new Set([...Object.keys(before).filter(isEditableHeader), ...Object.keys(after)]);
  const added: string[] = [], removed: string[] = [], changed: string[] = [];
  const values: Record<string, THeaderValueChange> = {};
  const note = (key: string, change: THeaderValueChange) => Object.defineProperty(values, key, { value: change, enumerable: true });
  for (const key of keys) {
    if (!(key in before)) {
      added.push(key);
      note(key, { after: after[key] });
    } else if (!(key in after)) {
      removed.push(key);
      note(key, { before: before[key] });
    } else if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
      changed.push(key);
      note(key, { before: before[key], after: after[key] });
    }
  }
  return { added, removed, changed, values };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export async function editMessage(request: TActionRequest & { input: TEditRequest }) {
  const { actor, input } = request;
  const body = decodeBody(input.body);
  const limit = env().DLQ_LARGE_BODY_BYTES;
  if (body.length > limit) throw new AppError('INVALID_INPUT', `Body is ${body.length} bytes; an edit is at most ${limit} (DLQ_LARGE_BODY_BYTES)`);
  const headers = fromEditableHeaders(input.headers);
  requirePermission(actor, 'messages:edit');
  // Checked before the transaction (these columns never change) so it holds no lock meanwhile.
  const fixed = await prisma().message.findUnique({
    where: { id: parseMessageId(request.id) }, select: { id: true, originQueue: true, sourceQueue: true, ownerTeamId: true, contentType: true, contentEncoding: true },
  });
  if (!fixed) throw new AppError('NOT_FOUND', `No message with id ${request.id}`);
  requireMessageInScope(actor, fixed);
  if (isJsonContentType(fixed.contentType) && !fixed.contentEncoding) {
    const problem = describeJsonError(body.toString('utf8'));
    if (problem) throw new AppError('INVALID_INPUT', `Body is not valid JSON (content type ${fixed.contentType}): ${problem}`, { json: problem });
  }
  await assertContract({ originQueue: fixed.originQueue, body });

  return runMessageAction({ ...request, version: input.version, permission: 'messages:edit', action: 'edit', input }, async (tx, message, newVersion) => {
    assertNotPublishing(message, 'edit');
    assertNotDiscarded(message, 'edit');

    const previous = await tx.messageRevision.findFirst({
      where: { messageId: message.id }, orderBy: { number: 'desc' }, omit: { body: false },
    });
    const base = previous
      ? { number: previous.number, body: previous.body, headers: previous.headers as TTypedTable }
      : { number: 0, ...(await tx.message.findUniqueOrThrow({ where: { id: message.id }, select: { body: true, headers: true } })) };
    // Someone who sees "[redacted]" in place of a value would save the mask as the value.
    const rules = await loadRedactionRules(tx);
    if (rules.length > 0 && !canActor(actor, 'messages:read-sensitive')) {
      const redactor = createRedactor(rules);
      if (redactor.redactHeaders(base.headers as TTypedTable).redacted.length > 0 || redactor.redactBody(base.body, fixed.contentType, fixed.contentEncoding).redacted) {
        throw new AppError('FORBIDDEN', `Message ${message.id} holds values masked by redaction rules; editing it needs the messages:read-sensitive permission`);
      }
    }
    const number = base.number + 1;
    const revision = await tx.messageRevision.create({
      data: { messageId: message.id, number, body: Uint8Array.from(body), size: body.length, headers, author: actorLabel(actor), reason: input.reason ?? null },
      select: { id: true },
    });
    const audit: TAuditEventInput = {
      actor: actorLabel(actor),
      action: 'message.edited',
      subject: `message:${message.id}`,
      messageId: message.id,
      reason: input.reason ?? null,
      requestId: request.requestId,
      result: `revision #${number}`,
      before: { status: message.status, version: message.version, revision: base.number, bodySha256: sha256(base.body), size: base.body.length },
      after: {
        status: 'edited', version: newVersion, revision: number, revisionId: revision.id.toString(), bodySha256: sha256(body), size: body.length,
        headers: maskForAudit(headerChanges(base.headers as TTypedTable, headers), rules, `message:${message.id}`),
      },
    };
    const result: TEditResult = { revision: { id: revision.id.toString(), number } };
    return { result, status: 'edited', audit };
  });
}
