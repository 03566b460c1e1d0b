import { prisma } from '../db/prisma';
import type { TDeadLetterRow } from './to-dead-letter-row';

// The ingest hot path: one statement per batch, on the Prisma client's own pg pool. The
// batch travels as one JSON document (bytes as base64) unpacked by json_to_recordset:
// json, not jsonb, because jsonb sorts object keys and the headers' order must survive.
// Prisma's createMany took 5x the time and its raw query path 16x the CPU of this
// (docs/decisions/0002-ingest-and-dedupe.md). lib/db/schema-parity.test.ts
// and the ingest tests keep this column list honest.
//
// ON CONFLICT DO NOTHING on (source_queue, fingerprint) makes a redelivery a no-op. Rows
// are inserted in fingerprint order so two workers inserting overlapping batches take
// their locks in the same order and cannot deadlock.

const INSERT_BATCH = `
INSERT INTO messages (source_queue, fingerprint, origin_queue, reason, exchange, routing_keys, death_count,
  first_death_at, last_death_at, first_death, last_death, message_id, correlation_id, content_type,
  content_encoding, size, is_large, body, properties, headers, x_death, delivery_exchange,
  delivery_routing_key, search_text)
SELECT r.source_queue, decode(r.fingerprint, 'base64'), r.origin_queue, r.reason::death_reason, r.exchange,
  ARRAY(SELECT jsonb_array_elements_text(r.routing_keys)), r.death_count, r.first_death_at, r.last_death_at,
  r.first_death, r.last_death, r.message_id, r.correlation_id, r.content_type, r.content_encoding, r.size,
  r.is_large, decode(r.body, 'base64'), r.properties, r.headers, r.x_death, r.delivery_exchange,
  r.delivery_routing_key, r.search_text
FROM json_to_recordset($1::json) AS r(source_queue text, fingerprint text, origin_queue text, reason text,
  exchange text, routing_keys jsonb, death_count int, first_death_at timestamptz, last_death_at timestamptz,
  first_death jsonb, last_death jsonb, message_id text, correlation_id text, content_type text,
  content_encoding text, size int, is_large boolean, body text, properties jsonb, headers json,
  x_death jsonb, delivery_exchange text, delivery_routing_key text, search_text text)
ORDER BY r.source_queue, r.fingerprint
ON CONFLICT (source_queue, fingerprint) DO NOTHING`;

function toRecord(r: TDeadLetterRow) {
  return {
    source_queue: r.sourceQueue, fingerprint: r.fingerprint.toString('base64'), origin_queue: r.originQueue,
    reason: r.reason, exchange: r.exchange, routing_keys: r.routingKeys, death_count: r.deathCount,
    first_death_at: r.firstDeathAt, last_death_at: r.lastDeathAt, first_death: r.firstDeath, last_death: r.lastDeath,
    message_id: r.messageId, correlation_id: r.correlationId, content_type: r.contentType,
    content_encoding: r.contentEncoding, size: r.size, is_large: r.isLarge, body: r.body.toString('base64'),
    properties: r.properties, headers: r.headers, x_death: r.xDeath, delivery_exchange: r.deliveryExchange,
    delivery_routing_key: r.deliveryRoutingKey, search_text: r.searchText,
  };
}

/** Commits one batch; returns how many rows were new (the rest were redeliveries). */
export async function storeDeadLetters(rows: TDeadLetterRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await prisma().pool.query(INSERT_BATCH, [JSON.stringify(rows.map(toRecord))]);
  return result.rowCount ?? 0;
}
