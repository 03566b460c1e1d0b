import type { Dispatch, Message, MessageRevision } from '../db/generated/client';
import type { TTypedTable, TTypedValue } from '../ingest/typed-headers';
import type { TDeathSummary, TXDeathEntry } from '../ingest/parse-death-headers';
import type { TRedactor } from '../redaction/create-redactor';
import type { TRedactionNote } from '../redaction/redaction-rule-dto';
import type { TDispatch, TDispatchKind, TDispatchState, TMessageBody, TMessageDetail, TMessageSummary, TRevisionSummary } from './message-dto';

export const SUMMARY_SELECT = {
  id: true, sourceQueue: true, originQueue: true, reason: true, status: true, deathCount: true,
  firstDeathAt: true, lastDeathAt: true, ingestedAt: true, exchange: true, routingKeys: true,
  messageId: true, correlationId: true, contentType: true, size: true, isLarge: true,
} as const;

type TSummaryRow = Pick<Message, keyof typeof SUMMARY_SELECT>;

export function toMessageSummary(m: TSummaryRow): TMessageSummary {
  return {
    id: m.id.toString(),
    source: m.sourceQueue,
    origin: m.originQueue,
    reason: m.reason,
    status: m.status,
    deathCount: m.deathCount,
    firstDeathAt: m.firstDeathAt?.toISOString() ?? null,
    lastDeathAt: m.lastDeathAt?.toISOString() ?? null,
    ingestedAt: m.ingestedAt.toISOString(),
    exchange: m.exchange,
    routingKeys: m.routingKeys,
    messageId: m.messageId,
    correlationId: m.correlationId,
    contentType: m.contentType,
    size: m.size,
    isLarge: m.isLarge,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text when the bytes are valid UTF-8, base64 otherwise. */
export function toMessageBody(bytes: Uint8Array, truncated: boolean): TMessageBody {
  // A cut can split the last character; drop at most 3 trailing bytes before giving up on text.
  for (let trim = 0; trim <= (truncated ? 3 : 0) && trim < bytes.length + 1; trim++) {
    try {
      return { encoding: 'utf8', data: utf8.decode(bytes.subarray(0, bytes.length - trim)) };
    } catch {
      // not text (yet)
    }
  }
  return { encoding: 'base64', data: Buffer.from(bytes).toString('base64') };
}

export function toRevisionSummary(r: Omit<MessageRevision, 'body' | 'headers'>): TRevisionSummary {
  return { id: r.id.toString(), number: r.number, author: r.author, reason: r.reason, createdAt: r.createdAt.toISOString(), size: r.size };
}

export function toDispatchDto(d: Dispatch & { revision: { number: number } | null }): TDispatch {
  return {
    id: d.id,
    actionId: d.actionId,
    kind: d.kind as TDispatchKind,
    state: d.state as TDispatchState,
    exchange: d.exchange,
    routingKey: d.routingKey,
    team: d.teamName,
    sandbox: d.sandboxName,
    revision: d.revision?.number ?? 0,
    attempts: d.attempts,
    lastError: d.lastError,
    actor: d.actor,
    reason: d.reason,
    createdAt: d.createdAt.toISOString(),
    settledAt: d.settledAt?.toISOString() ?? null,
  };
}

type TDetailExtras = Pick<TMessageDetail, 'revisions' | 'dispatches' | 'replayOf' | 'group'>;

/**
 * A body and headers as `redactor` lets its actor see them (null: in clear). The whole body
 * is masked before any cut, so a cut cannot split a masked value and leave half of it.
 */
export function applyRedactor(
  redactor: TRedactor | null,
  { body, headers, contentType, contentEncoding }: { body: Uint8Array; headers: TTypedTable; contentType: string | null; contentEncoding: string | null },
): { body: Uint8Array; headers: TTypedTable; redacted: TRedactionNote | null } {
  if (!redactor) return { body, headers, redacted: null };
  const masked = redactor.redactBody(body, contentType, contentEncoding);
  const maskedHeaders = redactor.redactHeaders(headers);
  const redacted = masked.redacted || maskedHeaders.redacted.length > 0 ? { paths: masked.paths, headers: maskedHeaders.redacted } : null;
  return { body: masked.bytes, headers: maskedHeaders.headers, redacted };
}

export function toMessageDetail(m: Omit<Message, 'bodyJson'>, bodyLimit: number, extras: TDetailExtras, redactor: TRedactor | null = null): TMessageDetail {
  const { body, headers, redacted } = applyRedactor(redactor, {
    body: m.body, headers: m.headers as TTypedTable, contentType: m.contentType, contentEncoding: m.contentEncoding,
  });
  const truncated = body.length > bodyLimit;
  return {
    ...toMessageSummary(m),
    contentEncoding: m.contentEncoding,
    properties: m.properties as Record<string, TTypedValue>,
    headers,
    xDeath: m.xDeath as TXDeathEntry[],
    firstDeath: m.firstDeath as TDeathSummary | null,
    lastDeath: m.lastDeath as TDeathSummary | null,
    deliveryExchange: m.deliveryExchange,
    deliveryRoutingKey: m.deliveryRoutingKey,
    body: toMessageBody(truncated ? body.subarray(0, bodyLimit) : body, truncated),
    truncated,
    version: m.version,
    replayCount: m.replayCount,
    replayId: m.replayId,
    originalMessageId: m.originalMessageId?.toString() ?? null,
    redacted,
    ...extras,
  };
}
