import { headerText } from '../groups/read-exception';
import type { TTypedTable } from '../ingest/typed-headers';

// A link from a dead letter to its trace in Tempo, Jaeger or Grafana: DLQ_TRACE_URL_TEMPLATE
// with {traceId}, {spanId}, {correlationId} and {messageId} filled from the message. The ids
// come from a W3C `traceparent` header, else Zipkin's B3 (single `b3` or `X-B3-TraceId`),
// else Jaeger's `uber-trace-id`. Headers come from anyone: a value that does not parse gives
// no id, and every value is URL-encoded, so a header cannot steer the link elsewhere.

export const TRACE_PLACEHOLDERS = ['traceId', 'spanId', 'correlationId', 'messageId'] as const;
export type TTracePlaceholder = (typeof TRACE_PLACEHOLDERS)[number];
export type TTraceIds = Partial<Record<TTracePlaceholder, string>>;
/** The link and the id it was made from (the template's first placeholder), for its label. */
export type TTraceLink = { url: string; by: { key: TTracePlaceholder; value: string } };

/** A correlation or message id longer than this makes no link: a URL is no place for a document. */
const MAX_VALUE_LENGTH = 256;
const PLACEHOLDER = /\{(traceId|spanId|correlationId|messageId)\}/g;
const FIRST_PLACEHOLDER = new RegExp(PLACEHOLDER.source);

const isZero = (hex: string) => /^0+$/.test(hex);
const validId = (hex: string | undefined, lengths: number[]) =>
  hex !== undefined && lengths.includes(hex.length) && /^[0-9a-f]+$/.test(hex) && !isZero(hex);

/** `version-traceid-spanid-flags` (W3C Trace Context); a future version may append fields, version ff is invalid. */
export function parseTraceparent(value: string): { traceId: string; spanId: string } | null {
  const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/.exec(value.trim());
  if (!m || m[1] === 'ff' || (m[1] === '00' && m[5] !== undefined)) return null;
  return isZero(m[2]!) || isZero(m[3]!) ? null : { traceId: m[2]!, spanId: m[3]! };
}

/** Zipkin's single header `traceid-spanid[-sampled[-parentspanid]]`; a bare sampling flag carries no ids. */
export function parseB3(value: string): { traceId: string; spanId: string } | null {
  const [traceId, spanId] = value.trim().toLowerCase().split('-');
  return validId(traceId, [16, 32]) && validId(spanId, [16]) ? { traceId: traceId!, spanId: spanId! } : null;
}

/** Jaeger's `trace-id:span-id:parent-span-id:flags`, ids in hex without leading zeros. */
export function parseUberTraceId(value: string): { traceId: string; spanId: string } | null {
  const parts = value.trim().toLowerCase().split(':');
  if (parts.length !== 4) return null;
  const [traceId, spanId] = parts;
  const lengths = (max: number) => Array.from({ length: max }, (_, i) => i + 1);
  return validId(traceId, lengths(32)) && validId(spanId, lengths(16)) ? { traceId: traceId!, spanId: spanId! } : null;
}

/** A header's text by its name in any case (clients differ); null for a missing or non-text value. */
function header(headers: TTypedTable, name: string): string | null {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : headerText(headers[key]);
}

function traceFrom(headers: TTypedTable): { traceId: string; spanId?: string } | null {
  const traceparent = header(headers, 'traceparent');
  if (traceparent !== null) return parseTraceparent(traceparent);
  const b3 = header(headers, 'b3');
  if (b3 !== null) return parseB3(b3);
  const b3TraceId = header(headers, 'x-b3-traceid')?.trim().toLowerCase();
  if (b3TraceId !== undefined) {
    if (!validId(b3TraceId, [16, 32])) return null;
    const spanId = header(headers, 'x-b3-spanid')?.trim().toLowerCase();
    return validId(spanId, [16]) ? { traceId: b3TraceId, spanId } : { traceId: b3TraceId };
  }
  const uber = header(headers, 'uber-trace-id');
  return uber === null ? null : parseUberTraceId(uber);
}

const usable = (value: string | null | undefined) => (value && value.length <= MAX_VALUE_LENGTH ? value : undefined);

/**
 * The ids a message offers. Pass the headers as the reader may see them (after redaction):
 * a masked header reads "[redacted]", which parses as no id, so the link cannot reveal it.
 */
export function readTraceIds({ headers, correlationId, messageId }: { headers: TTypedTable; correlationId: string | null; messageId: string | null }): TTraceIds {
  const trace = traceFrom(headers);
  return { traceId: trace?.traceId, spanId: trace?.spanId, correlationId: usable(correlationId), messageId: usable(messageId) };
}

function encode(value: string): string | null {
  try {
    return encodeURIComponent(value);
  } catch {
    return null; // a lone surrogate
  }
}

/** The template filled in; null when it is unset or names an id the message does not have. */
export function buildTraceLink(template: string | undefined, ids: TTraceIds): TTraceLink | null {
  if (!template) return null;
  const first = FIRST_PLACEHOLDER.exec(template);
  if (!first) return null;
  let missing = false;
  const url = template.replace(PLACEHOLDER, (_, key: TTracePlaceholder) => {
    const value = ids[key] === undefined ? null : encode(ids[key]);
    if (value === null) missing = true;
    return value ?? '';
  });
  if (missing) return null;
  const key = first[1] as TTracePlaceholder;
  return { url, by: { key, value: ids[key]! } };
}

/** A message's trace link, or null (no template, or an id it needs is missing). */
export function traceLinkOf(template: string | undefined, message: { headers: TTypedTable; correlationId: string | null; messageId: string | null }): TTraceLink | null {
  return template ? buildTraceLink(template, readTraceIds(message)) : null;
}

/** What GET /messages/{id} and GET /groups/{id} answer about the trace (null: no link). */
export type TTraceFields = { traceUrl: string | null; traceUrlBy: TTraceLink['by'] | null };

export function toTraceFields(link: TTraceLink | null): TTraceFields {
  return { traceUrl: link?.url ?? null, traceUrlBy: link?.by ?? null };
}
