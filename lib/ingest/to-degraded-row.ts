import { createHash } from 'node:crypto';
import { stripNul } from './typed-headers';
import type { TDeadLetterRow, TDelivery } from './to-dead-letter-row';

/**
 * The row for a delivery whose headers cannot be parsed or stored: the body bytes and the
 * delivery, with the headers set aside and the reason recorded in their place. Built from
 * what cannot fail, so a poison message is stored (and acked) instead of stalling its
 * source forever. Nothing lost but what was unstorable, and the log says so.
 */
export function toDegradedRow(delivery: TDelivery, largeBodyBytes: number, reason: string): TDeadLetterRow {
  const { content, fields, sourceQueue } = delivery;
  const shortText = (v: unknown) => (typeof v === 'string' ? stripNul(v).slice(0, 255) : null);
  const messageId = shortText(delivery.properties.messageId);
  const correlationId = shortText(delivery.properties.correlationId);
  const note = `headers not stored: ${reason}`.slice(0, 1000);
  return {
    sourceQueue,
    redelivered: fields.redelivered === true,
    fingerprint: createHash('sha256').update(`degraded\n${messageId}\n${correlationId}\n`).update(content).digest(),
    originQueue: null,
    reason: 'unknown',
    exchange: null,
    routingKeys: [stripNul(fields.routingKey)],
    deathCount: 0,
    firstDeathAt: null,
    lastDeathAt: null,
    firstDeath: null,
    lastDeath: null,
    messageId,
    correlationId,
    contentType: shortText(delivery.properties.contentType),
    contentEncoding: shortText(delivery.properties.contentEncoding),
    size: content.length,
    isLarge: content.length > largeBodyBytes,
    body: content,
    properties: {},
    headers: { 'x-dlq-console-ingest-error': { type: 'string', value: note } },
    xDeath: [],
    deliveryExchange: stripNul(fields.exchange),
    deliveryRoutingKey: stripNul(fields.routingKey),
    searchText: [messageId, correlationId].filter(Boolean).join(' '),
    replayId: null,
    originalMessageId: null,
    replayCount: 0,
  };
}
