import { createHash } from 'node:crypto';
import type { MessageProperties } from 'amqplib';
import { readConsoleLineage } from '../dispatch/console-headers';
import { isJsonCandidate, searchText } from '../messages/search-text';
import { parseDeathHeaders, type TDeathReason, type TDeathSummary, type TXDeathEntry } from './parse-death-headers';
import { ownTable, stripNul, toTypedTable, toTypedValue, type TTypedTable, type TTypedValue } from './typed-headers';

// One delivery from a source queue, turned into the row we store. Pure and total: any
// bytes and any headers produce a row (nothing is lost because it looked strange).

export type TDelivery = {
  sourceQueue: string;
  content: Buffer;
  fields: { exchange: string; routingKey: string; redelivered?: boolean };
  // Headers come off the wire: whatever amqplib's types promise, any shape can arrive.
  properties: Omit<Partial<MessageProperties>, 'headers'> & { headers?: Record<string, unknown> };
};

// Headers a broker adds or changes when it redelivers: they must not make a redelivery
// look like a new message (quorum queues count deliveries in them).
const REDELIVERY_HEADERS = new Set(['x-delivery-count', 'x-acquired-count']);

const PROPERTY_NAMES = [
  'contentType', 'contentEncoding', 'deliveryMode', 'priority', 'correlationId', 'replyTo',
  'expiration', 'messageId', 'timestamp', 'type', 'userId', 'appId', 'clusterId',
] as const;

function typedProperties(properties: TDelivery['properties']): Record<string, TTypedValue> {
  const out: Record<string, TTypedValue> = {};
  for (const name of PROPERTY_NAMES) {
    const v = (properties as Record<string, unknown>)[name];
    if (v === undefined || v === null) continue;
    out[name] = name === 'timestamp' && typeof v === 'number' ? { type: 'timestamp', value: v } : toTypedValue(v);
  }
  return out;
}

/** Stable JSON: object keys sorted, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The dedupe key: sha256 over the body, the properties and the headers (x-death
 * included, redelivery counters excluded). A redelivery whose fingerprint is already
 * stored for its source is not stored again (store-dead-letters.ts).
 */
export function fingerprint(content: Buffer, properties: Record<string, TTypedValue>, headers: TTypedTable): Buffer {
  const stable = Object.fromEntries(Object.entries(headers).filter(([k]) => !REDELIVERY_HEADERS.has(k)));
  return createHash('sha256')
    .update(canonicalJson({ properties, headers: stable }))
    .update('\n')
    .update(content)
    .digest();
}

/** Queue and exchange names are at most 255 bytes on a broker; longer ones are forged, and would break the btree index. */
function name(value: string | null): string | null {
  return value !== null && value.length > 255 ? value.slice(0, 255) : value;
}

function text(v: TTypedValue | undefined): string | null {
  if (v?.type !== 'string') return null;
  return stripNul('value' in v ? v.value : Buffer.from(v.base64, 'base64').toString('utf8'));
}

export type TDeadLetterRow = {
  sourceQueue: string;
  /** The broker delivered it before: it may be stored already (see store-dead-letters.ts). */
  redelivered: boolean;
  fingerprint: Buffer;
  originQueue: string | null;
  reason: TDeathReason;
  exchange: string | null;
  routingKeys: string[];
  deathCount: number;
  firstDeathAt: Date | null;
  lastDeathAt: Date | null;
  firstDeath: TDeathSummary | null;
  lastDeath: TDeathSummary | null;
  messageId: string | null;
  correlationId: string | null;
  contentType: string | null;
  contentEncoding: string | null;
  size: number;
  isLarge: boolean;
  body: Buffer;
  properties: Record<string, TTypedValue>;
  headers: TTypedTable;
  xDeath: TXDeathEntry[];
  deliveryExchange: string;
  deliveryRoutingKey: string;
  /** Ids, routing keys, header values and body text (lib/messages/search-text.ts). */
  searchText: string;
  /** PostgreSQL stores the parsed body as body_json when it parses as JSON (lib/messages/search-text.ts). Degraded rows: absent. */
  parseJson?: boolean;
  /** From the console's own headers when this is a published message that died again. */
  replayId: string | null;
  originalMessageId: bigint | null;
  replayCount: number;
};

export function toDeadLetterRow(delivery: TDelivery, largeBodyBytes: number): TDeadLetterRow {
  const { content, fields, sourceQueue } = delivery;
  const rawHeaders = ownTable(delivery.properties.headers ?? {});
  const headers = toTypedTable(rawHeaders);
  const properties = typedProperties(delivery.properties);
  const death = parseDeathHeaders(rawHeaders);
  const routingKeys = death.routingKeys ?? [stripNul(fields.routingKey)];
  const messageId = text(properties.messageId);
  const correlationId = text(properties.correlationId);
  const lineage = readConsoleLineage(headers);
  const contentType = text(properties.contentType);
  const contentEncoding = text(properties.contentEncoding);
  return {
    sourceQueue,
    redelivered: fields.redelivered === true,
    fingerprint: fingerprint(content, properties, headers),
    originQueue: name(death.origin),
    reason: death.reason,
    exchange: name(death.exchange),
    routingKeys,
    deathCount: death.deathCount,
    firstDeathAt: death.firstDeathAt,
    lastDeathAt: death.lastDeathAt,
    firstDeath: death.firstDeath,
    lastDeath: death.lastDeath,
    messageId,
    correlationId,
    contentType,
    contentEncoding,
    size: content.length,
    isLarge: content.length > largeBodyBytes,
    body: content,
    properties,
    headers,
    xDeath: death.xDeath,
    deliveryExchange: stripNul(fields.exchange),
    deliveryRoutingKey: stripNul(fields.routingKey),
    searchText: searchText({ ids: [messageId, correlationId, ...routingKeys], headers, body: content, contentEncoding }),
    parseJson: isJsonCandidate(content, contentType, contentEncoding),
    ...lineage,
  };
}

