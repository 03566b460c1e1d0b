import { createHash } from 'node:crypto';
import { prisma } from '../db/prisma';
import { MAX_STORE_BATCH } from '../env';
import type { TDeadLetterRow } from './to-dead-letter-row';

// The ingest hot path: one transaction per batch, on the Prisma client's own pg pool. The
// batch's metadata travels as one JSON document unpacked by json_to_recordset: json, not
// jsonb, because jsonb sorts object keys and the headers' order must survive. Prisma's
// createMany took 5x the time and its raw query path 16x the CPU of this
// (docs/decisions/0002-ingest-and-dedupe.md). The bodies travel beside it, one binary
// bytea parameter each: as base64 inside the JSON they were a string on the V8 heap a third
// larger than all the bodies together, and two batches of the largest messages took the
// worker past its heap cap.
//
// Search: the searchable text and body_json (PostgreSQL parses the bodies ingest marked as
// JSON candidates, NULL when they are not JSON after all; docs/decisions/0015-search.md) go
// to message_search in the same statement, never to the message row, so later changes to
// the row do not rewrite the search indexes (docs/decisions/0020-message-search-table.md).
// Ids are drawn in arrival order before the insert, so both rows share one.
//
// Dedupe: a redelivery may be a message we committed but never acked (a crash in between).
// So a row is skipped when an identical row (same source and fingerprint) is stored and
// either of the two arrived as a redelivery. Two first deliveries are never merged: a
// message handed out for the first time cannot have been stored, so an identical one is a
// second dead letter. (Checking the stored row's flag too covers a first delivery whose
// commit was held up until after its own redelivery committed.) Advisory locks on the
// keys, taken in a fixed order, make a concurrent insert of the same message wait, so the
// check sees it once it commits.

const insertBatch = (rows: number) => `
WITH r AS MATERIALIZED (
  SELECT nextval('messages_id_seq') AS id, r.*
  FROM (
    SELECT r.*, b.body FROM json_to_recordset($1::json) AS r(source_queue text, redelivered boolean, fingerprint text,
      origin_queue text, reason text, exchange text, routing_keys json, death_count int, first_death_at timestamptz,
      last_death_at timestamptz, first_death jsonb, last_death jsonb, message_id text, correlation_id text,
      content_type text, content_encoding text, size int, is_large boolean, properties jsonb,
      headers json, x_death jsonb, delivery_exchange text, delivery_routing_key text, search_text text,
      replay_id uuid, original_message_id bigint, replay_count int, parse_json boolean, ord bigint)
    JOIN (VALUES ${Array.from({ length: rows }, (_, i) => `(${i}, $${i + 2}::bytea)`).join(', ')}) AS b(ord, body) ON b.ord = r.ord
    WHERE NOT EXISTS (
      SELECT 1 FROM messages m
      WHERE m.source_queue = r.source_queue AND m.fingerprint = decode(r.fingerprint, 'base64')
        AND (r.redelivered OR m.redelivered))
    ORDER BY r.ord
  ) r
),
stored AS (
  INSERT INTO messages (id, source_queue, redelivered, fingerprint, origin_queue, reason, exchange, routing_keys, death_count,
    first_death_at, last_death_at, first_death, last_death, message_id, correlation_id, content_type,
    content_encoding, size, is_large, body, properties, headers, x_death, delivery_exchange,
    delivery_routing_key, replay_id, original_message_id, replay_count)
  SELECT r.id, r.source_queue, r.redelivered, decode(r.fingerprint, 'base64'), r.origin_queue, r.reason::death_reason, r.exchange,
    ARRAY(SELECT json_array_elements_text(r.routing_keys)), r.death_count, r.first_death_at, r.last_death_at,
    r.first_death, r.last_death, r.message_id, r.correlation_id, r.content_type, r.content_encoding, r.size,
    r.is_large, r.body, r.properties, r.headers, r.x_death, r.delivery_exchange,
    r.delivery_routing_key, r.replay_id, r.original_message_id, r.replay_count
  FROM r ORDER BY r.id
  RETURNING id
)
INSERT INTO message_search (message_id, search_text, body_json)
SELECT r.id, r.search_text, CASE WHEN r.parse_json THEN dlq_try_jsonb(dlq_try_utf8(r.body)) END
FROM r JOIN stored USING (id) ORDER BY r.id`;

function toRecord(r: TDeadLetterRow, ord: number) {
  return {
    ord,
    source_queue: r.sourceQueue, redelivered: r.redelivered, fingerprint: r.fingerprint.toString('base64'),
    origin_queue: r.originQueue, reason: r.reason, exchange: r.exchange, routing_keys: r.routingKeys,
    death_count: r.deathCount, first_death_at: r.firstDeathAt, last_death_at: r.lastDeathAt,
    first_death: r.firstDeath, last_death: r.lastDeath, message_id: r.messageId, correlation_id: r.correlationId,
    content_type: r.contentType, content_encoding: r.contentEncoding, size: r.size, is_large: r.isLarge,
    properties: r.properties, headers: r.headers, x_death: r.xDeath,
    delivery_exchange: r.deliveryExchange, delivery_routing_key: r.deliveryRoutingKey, search_text: r.searchText,
    replay_id: r.replayId, original_message_id: r.originalMessageId?.toString() ?? null, replay_count: r.replayCount,
    parse_json: r.parseJson === true,
  };
}

/** One advisory lock key per (source, fingerprint), sorted so every worker locks in the same order. */
function lockKeys(rows: TDeadLetterRow[]): string[] {
  const keys = new Set(
    rows.map((r) => createHash('sha256').update(r.sourceQueue).update('\n').update(r.fingerprint).digest().readBigInt64BE(0)),
  );
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}

/** Commits one batch; returns how many rows were stored (the rest were redeliveries of stored rows). */
export async function storeDeadLetters(rows: TDeadLetterRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  if (rows.length > MAX_STORE_BATCH) throw new RangeError(`a batch holds at most ${MAX_STORE_BATCH} rows, got ${rows.length}`);
  const client = await prisma().pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    // unnest keeps the array's order, so the locks are taken in the sorted order.
    await client.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [lockKeys(rows)]);
    const metadata = JSON.stringify(rows.map((row, i) => toRecord(row, i)));
    const result = await client.query(insertBatch(rows.length), [metadata, ...rows.map((row) => row.body)]);
    await client.query('COMMIT');
    return result.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => { broken = true; });
    throw error;
  } finally {
    client.release(broken);
  }
}
