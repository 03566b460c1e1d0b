import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { categoriseGroup, POISON_DEATH_COUNT } from '../../lib/groups/categories';
import { cutWithEllipsis } from '../../lib/groups/cut-text';
import { describeFailure } from '../../lib/groups/failure-signature';
import { loadCategoryRules } from '../../lib/groups/load-category-rules';
import { readException } from '../../lib/groups/read-exception';
import { stripNul } from '../../lib/ingest/typed-headers';
import { canonicalJson, toDeadLetterRow, type TDeadLetterRow } from '../../lib/ingest/to-dead-letter-row';
import { seededRandom } from '../../lib/testing/faults/seed';
import type { TBenchContext } from './types';

// Stored dead letters for the query measures, a million in a few minutes. Every distinct
// row goes through the worker's own code: toDeadLetterRow (fingerprint, typed headers,
// x-death columns, search text), the classifier's failure signature and exception text
// (describeFailure, readException) and its category rules, and the ownership columns as the
// tagger leaves them. Node builds up to 20,000 such rows (templates, ~0.2 ms each); one SQL
// statement per 20,000 rows copies them, giving each copy its own id, ingest time (spread
// over 30 days, in id order) and order number (ORD-nnnnnnnn, written into its body, ids,
// headers, search text and exception text), and recomputing the worker's fingerprint
// (sha256 of the canonical properties and headers, a newline and the body) over the result.
// body_json is the body parsed by PostgreSQL, as the ingest statement does. The x-death
// JSON and header timestamps keep their template's (first_death_at and last_death_at
// follow the copy's ingest time).
//
// The data: 20 services, each with one dead-letter queue (the source) and 3 work queues
// (the origins); ~200 kinds of failure (origin, reason, exception) picked with a skew, so a
// few groups hold most messages; JSON bodies with words and ids worth searching for;
// statuses as operators leave them. A large load drops the secondary indexes of messages
// and message_search (where the search columns and their GIN indexes live)
// and builds them again afterwards (as a restore does), several times faster than
// maintaining the GIN indexes row by row; the definitions are read from the database, so
// the rebuilt indexes are exactly the migrations'.

const SERVICES = [
  'orders', 'payments', 'shipping', 'inventory', 'billing', 'invoices', 'refunds', 'notifications', 'emails', 'sms',
  'identity', 'accounts', 'catalog', 'pricing', 'search-index', 'recommendations', 'reviews', 'loyalty', 'fraud', 'analytics',
] as const;
const EVENTS = ['created', 'updated', 'sync'] as const;
const FRAMEWORK_OF = (s: number) => (s < 10 ? 'spring' : s < 15 ? 'masstransit' : s < 18 ? 'nservicebus' : 'none');
const TEAMS = [
  { name: 'commerce', services: [0, 1, 4, 5, 6] },
  { name: 'fulfilment', services: [2, 3] },
  { name: 'messaging', services: [7, 8, 9] },
  { name: 'platform', services: [10, 11, 18] },
] as const;

const FIRST = ['Alice', 'Bruno', 'Carla', 'Deepak', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Katya', 'Liam', 'Maya', 'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomoko', 'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe'];
const LAST = ['Anderson', 'Becker', 'Castro', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ivanova', 'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Silva', 'Tanaka', 'Vargas', 'Weber', 'Yilmaz'];
const CITIES = ['Amsterdam', 'Berlin', 'Chicago', 'Dublin', 'Edinburgh', 'Frankfurt', 'Geneva', 'Helsinki', 'Istanbul', 'Johannesburg', 'Kyoto', 'Lisbon', 'Madrid', 'Nairobi', 'Oslo', 'Prague', 'Quebec', 'Rotterdam', 'Seoul', 'Toronto', 'Utrecht', 'Vienna', 'Warsaw', 'Zagreb'];
const PRODUCTS = ['espresso grinder', 'walnut desk', 'trail running shoes', 'noise cancelling headphones', 'cast iron skillet', 'merino sweater', 'standing lamp', 'yoga mat', 'chef knife', 'mechanical keyboard', 'rain jacket', 'ceramic teapot', 'bicycle helmet', 'linen sheets', 'camping stove', 'reading glasses'];
const CARRIERS = ['dhl', 'ups', 'fedex', 'postnl', 'royalmail', 'colissimo'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'SEK', 'JPY'];
const NOTES = [
  'leave the parcel with the neighbour', 'gift wrap requested', 'customer asked for an invoice copy', 'priority handling for vip account',
  'address confirmed by phone', 'split shipment allowed', 'promo code applied at checkout', 'backorder accepted by customer',
  'warehouse flagged damaged packaging', 'manual review after chargeback dispute', 'subscription renewal', 'loyalty points redeemed',
];
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

export type TSeedNames = {
  sources: string[];
  origins: string[];
  /** Origin index -> its service's source. */
  sourceOfOrigin: string[];
};

/** The queue names seeded under the bench prefix (nothing is declared on the broker). */
export function seedNames(prefix: string): TSeedNames {
  const sources = SERVICES.map((s) => `${prefix}.${s}.dlq`);
  const origins = SERVICES.flatMap((s) => EVENTS.map((e) => `${prefix}.${s}.${e}`));
  return { sources, origins, sourceOfOrigin: origins.map((_, i) => sources[Math.floor(i / EVENTS.length)]!) };
}

type TKind = { origin: number; reason: 'rejected' | 'expired' | 'maxlen' | 'delivery_limit'; exception: number | null; weight: number };

/** ~200 kinds of failure: 60 origins, 3-4 each, origins and kinds skewed so groups range from a handful of messages to tens of thousands. */
function failureKinds(): TKind[] {
  const kinds: TKind[] = [];
  for (let o = 0; o < SERVICES.length * EVENTS.length; o++) {
    const originWeight = 1 / (1 + o) ** 0.8;
    const service = Math.floor(o / EVENTS.length);
    const withException = FRAMEWORK_OF(service) !== 'none';
    kinds.push({ origin: o, reason: 'rejected', exception: withException ? 0 : null, weight: originWeight * 0.55 });
    kinds.push({ origin: o, reason: 'rejected', exception: withException ? 1 : null, weight: originWeight * 0.2 });
    kinds.push({ origin: o, reason: 'expired', exception: null, weight: originWeight * 0.15 });
    if (o % 3 !== 2) kinds.push({ origin: o, reason: o % 3 === 0 ? 'delivery_limit' : 'maxlen', exception: withException ? 2 : null, weight: originWeight * 0.1 });
  }
  return kinds;
}

const KINDS = failureKinds();
const CUMULATIVE = (() => {
  const total = KINDS.reduce((s, k) => s + k.weight, 0);
  let run = 0;
  return KINDS.map((k) => (run += k.weight / total));
})();

function pickKind(r: () => number): TKind {
  const x = r();
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return KINDS[lo]!;
}

/** The order number in seeded message `index`'s body: unique, what an operator pastes into the search. */
export function seedOrderNumber(index: number): string {
  return `ORD-${String(index).padStart(8, '0')}`;
}

/** Words every seeded body may hold (full-text search terms), with a rough share of bodies holding each. */
export const SEED_WORDS = {
  common: ['customer', 'order', 'currency'],
  medium: [...CITIES.map((c) => c.toLowerCase()), ...CARRIERS, ...TENANTS],
  rare: ['chargeback', 'backorder', 'neighbour', 'vip', 'damaged', 'renewal'],
  names: [...FIRST.map((f) => f.toLowerCase()), ...LAST.map((l) => l.toLowerCase())],
};

function exceptionHeaders(service: number, exception: number, r: () => number, orderNumber: string, at: number): Record<string, unknown> {
  const svc = SERVICES[service]!;
  const Svc = svc.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
  const id = Math.floor(r() * 90000) + 10000;
  const texts = [
    { type: `com.acme.${svc.replace('-', '')}.ValidationException`, dotnet: `Acme.${Svc}.ValidationException`, message: `Order ${orderNumber} rejected: field 'address.postcode' is invalid for country ${['NL', 'DE', 'FR', 'US', 'JP'][service % 5]}` },
    { type: 'java.net.SocketTimeoutException', dotnet: 'System.TimeoutException', message: `Read timed out after ${pick(r, [5000, 10000, 30000])} ms calling http://${SERVICES[(service + 7) % SERVICES.length]}.internal:8080/v1/items/${id}` },
    { type: `com.acme.${svc.replace('-', '')}.IdempotencyConflictException`, dotnet: `Acme.${Svc}.ConcurrencyException`, message: `Version conflict on aggregate ${id}: expected ${id % 7} but found ${(id % 7) + 1}` },
  ][exception]!;
  const framework = FRAMEWORK_OF(service);
  if (framework === 'spring') {
    const trace = `org.springframework.amqp.rabbit.support.ListenerExecutionFailedException: Listener method threw exception\n`
      + `Caused by: ${texts.type}: ${texts.message}\n\tat com.acme.${svc.replace('-', '')}.Handler.handle(Handler.java:${id % 400})`;
    return { 'x-exception-message': texts.message, 'x-exception-stacktrace': trace, 'x-original-exchange': `${svc}.events`, 'x-original-routingKey': `${svc}.${pick(r, EVENTS)}` };
  }
  if (framework === 'masstransit') {
    return {
      'MT-Fault-ExceptionType': texts.dotnet, 'MT-Fault-Message': texts.message,
      'MT-Fault-StackTrace': `   at Acme.${Svc}.Consumer.Consume(ConsumeContext context) in /src/Consumer.cs:line ${id % 300}`,
      'MT-Fault-Timestamp': new Date(at * 1000).toISOString(), 'MT-Host-MachineName': `${svc}-worker-${id % 4}`,
    };
  }
  return {
    'NServiceBus.ExceptionInfo.ExceptionType': texts.dotnet, 'NServiceBus.ExceptionInfo.Message': texts.message,
    'NServiceBus.ExceptionInfo.StackTrace': `${texts.dotnet}: ${texts.message}\n   at Acme.${Svc}.Handler.Handle() in /src/Handler.cs:line ${id % 300}`,
    'NServiceBus.ProcessingEndpoint': `Acme.${Svc}`, 'NServiceBus.MessageId': `${id}`,
  };
}

function body(index: number, service: number, r: () => number): { content: Buffer; contentType: string; contentEncoding?: string } {
  const svc = SERVICES[service]!;
  const customer = { id: `cus_${Math.floor(r() * 50000)}`, name: `${pick(r, FIRST)} ${pick(r, LAST)}`, city: pick(r, CITIES), tier: pick(r, ['standard', 'gold', 'platinum']) };
  const lines = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({ sku: `SKU-${Math.floor(r() * 9000) + 1000}`, product: pick(r, PRODUCTS), qty: 1 + Math.floor(r() * 4), price: Math.round(r() * 20000) / 100 }));
  const doc = {
    type: `${svc}.${pick(r, EVENTS)}`,
    order: { number: seedOrderNumber(index), currency: pick(r, CURRENCIES), total: lines.reduce((s, l) => s + l.qty * l.price, 0).toFixed(2), lines },
    customer,
    shipping: { carrier: pick(r, CARRIERS), tracking: `${pick(r, CARRIERS).toUpperCase()}${Math.floor(r() * 1e10)}` },
    note: r() < 0.3 ? pick(r, NOTES) : '',
    tenant: pick(r, TENANTS),
  };
  const x = r();
  if (x < 0.02) return { content: gzipSync(Buffer.from(JSON.stringify(doc))), contentType: 'application/json', contentEncoding: 'gzip' };
  if (x < 0.05) return { content: Buffer.from(`order ${doc.order.number} for ${customer.name} in ${customer.city}: ${doc.note || 'no note'}`), contentType: 'text/plain' };
  return { content: Buffer.from(JSON.stringify(doc)), contentType: 'application/json' };
}

const STATUSES: [string, number][] = [['new', 0.72], ['replayed', 0.14], ['discarded', 0.07], ['redirected', 0.03], ['edited', 0.02], ['failed', 0.015], ['replaying', 0.003], ['redirecting', 0.002]];

export type TSeedRow = TDeadLetterRow & {
  id: bigint; ingestedAt: Date; status: string; statusChangedAt: Date; version: number; statusBeforeDiscard: string | null;
  exceptionMessage: string | null; exceptionType: string | null; signature: string;
  service: number; framework: string | null; exceptionTypeNormalised: string | null; exceptionMessageNormalised: string | null;
};

/** Seeded message `index` as the worker would store it (id and ingest time given by the caller). */
export function seedRow(index: number, names: TSeedNames, id: bigint, ingestedAt: Date): TSeedRow {
  // Seeded by the index: the same index always gives the same message, so measures can name what was seeded.
  const r = seededRandom(index * 2654435761 + 12345);
  const kind = pickKind(r);
  const service = Math.floor(kind.origin / EVENTS.length);
  const origin = names.origins[kind.origin]!;
  const source = names.sources[service]!;
  const now = Math.floor(ingestedAt.getTime() / 1000);
  const deaths = kind.reason === 'delivery_limit' ? 1 + Math.floor(r() * 5) : r() < 0.08 ? 2 + Math.floor(r() * 3) : 1;
  const firstDeath = now - deaths * 30 - Math.floor(r() * 5);
  const routingKey = `${SERVICES[service]}.${EVENTS[kind.origin % EVENTS.length]}`;
  const xDeath: Record<string, unknown>[] = [{ queue: origin, reason: kind.reason, count: deaths, exchange: `${SERVICES[service]}.events`, 'routing-keys': [routingKey], time: { '!': 'timestamp', value: firstDeath } }];
  if (r() < 0.05) xDeath.push({ queue: `${origin}.retry`, reason: 'expired', count: 1, exchange: `${SERVICES[service]}.retry`, 'routing-keys': [routingKey], time: { '!': 'timestamp', value: firstDeath - 60 }, 'original-expiration': '60000' });
  const orderNumber = seedOrderNumber(index);
  const headers: Record<string, unknown> = {
    'x-tenant': pick(r, TENANTS), 'x-attempt': deaths, 'x-sent-at': { '!': 'timestamp', value: firstDeath - 2 }, 'x-priority-customer': r() < 0.1,
    traceparent: `00-${(index * 7919 + 0x1000000).toString(16).padStart(32, '0')}-${(index * 31).toString(16).padStart(16, '0')}-01`,
    ...(kind.exception !== null ? exceptionHeaders(service, kind.exception, r, orderNumber, firstDeath) : {}),
    ...(kind.reason === 'delivery_limit' ? { 'x-delivery-count': deaths * 5 } : {}),
    'x-death': xDeath,
    'x-first-death-queue': xDeath[xDeath.length - 1]!.queue, 'x-first-death-reason': xDeath[xDeath.length - 1]!.reason, 'x-first-death-exchange': xDeath[xDeath.length - 1]!.exchange,
    ...(r() < 0.5 ? { 'x-last-death-queue': origin, 'x-last-death-reason': kind.reason, 'x-last-death-exchange': `${SERVICES[service]}.events` } : {}),
  };
  const b = body(index, service, r);
  const row = toDeadLetterRow({
    sourceQueue: source,
    content: b.content,
    fields: { exchange: `${SERVICES[service]}.dlx`, routingKey, redelivered: false },
    properties: {
      contentType: b.contentType, contentEncoding: b.contentEncoding, deliveryMode: 2, messageId: `msg-${(index * 2246822519 >>> 0).toString(16).padStart(8, '0')}.${orderNumber.toLowerCase()}`,
      correlationId: `corr-${orderNumber.toLowerCase()}`, timestamp: firstDeath - 2, appId: `${SERVICES[service]}-api`, type: routingKey, headers,
    },
  }, 10 << 20);
  const failure = describeFailure({ originQueue: row.originQueue, reason: row.reason, headers: row.headers });
  const raw = readException({ headers: row.headers })?.message;
  const rawText = raw ? stripNul(raw).trim() : '';
  const x = r();
  let acc = 0;
  const status = STATUSES.find(([, share]) => (acc += share) >= x)?.[0] ?? 'new';
  const acted = status !== 'new';
  return {
    ...row, id, ingestedAt, status,
    statusChangedAt: acted ? new Date(ingestedAt.getTime() + Math.floor(r() * 6 * 3600_000)) : ingestedAt,
    version: acted ? 2 : 1,
    statusBeforeDiscard: status === 'discarded' ? 'new' : null,
    exceptionType: failure.exceptionType,
    exceptionMessage: rawText ? cutWithEllipsis(rawText, 1000) : null,
    signature: failure.signature.toString('hex'),
    service,
    framework: failure.framework,
    exceptionTypeNormalised: failure.exceptionType,
    exceptionMessageNormalised: failure.exceptionMessage,
  };
}

/** A template is one row built by the worker's code; the expansion gives each copy its own order number, id and times. */
const TEMPLATES = 'bench_seed_templates';

const CREATE_TEMPLATES = `
CREATE UNLOGGED TABLE ${TEMPLATES} (t int PRIMARY KEY, token text NOT NULL, source_queue text, origin_queue text, reason text, exchange text,
  routing_keys text[], death_count int, first_offset interval, last_offset interval, first_death jsonb, last_death jsonb, message_id text,
  correlation_id text, content_type text, content_encoding text, is_large boolean, body bytea, is_text boolean, has_json boolean,
  properties text, headers text, x_death jsonb, delivery_exchange text, delivery_routing_key text, search_text text, canon text,
  status text, status_offset interval, version int, status_before_discard text, group_id bigint, exception_type text,
  exception_message text, owner_team_id uuid, owner_rule_id uuid)`;

const INSERT_TEMPLATES = `
INSERT INTO ${TEMPLATES}
SELECT r.t, r.token, r.source_queue, r.origin_queue, r.reason, r.exchange, ARRAY(SELECT json_array_elements_text(r.routing_keys)), r.death_count,
  make_interval(secs => r.first_offset), make_interval(secs => r.last_offset), r.first_death, r.last_death, r.message_id, r.correlation_id,
  r.content_type, r.content_encoding, r.is_large, decode(r.body, 'base64'), strpos(dlq_try_utf8(decode(r.body, 'base64')), r.token) > 0,
  r.parse_json AND dlq_try_jsonb(dlq_try_utf8(decode(r.body, 'base64'))) IS NOT NULL,
  r.properties::text, r.headers::text, r.x_death, r.delivery_exchange, r.delivery_routing_key, r.search_text, r.canon,
  r.status, make_interval(secs => r.status_offset), r.version, r.status_before_discard, r.group_id, r.exception_type, r.exception_message,
  r.owner_team_id, r.owner_rule_id
FROM json_to_recordset($1::json) AS r(t int, token text, source_queue text, origin_queue text, reason text, exchange text, routing_keys json,
  death_count int, first_offset float8, last_offset float8, first_death jsonb, last_death jsonb, message_id text, correlation_id text,
  content_type text, content_encoding text, is_large boolean, body text, parse_json boolean, properties json, headers json, x_death jsonb,
  delivery_exchange text, delivery_routing_key text, search_text text, canon text, status text, status_offset float8, version int,
  status_before_discard text, group_id bigint, exception_type text, exception_message text, owner_team_id uuid, owner_rule_id uuid)`;

// Row i: id $1 + i, order number $4 + i, ingested at $5 + $6 x (i + 1), template (i x $7) mod $8 (coprime, so
// neighbouring rows differ). The fingerprint is the worker's: sha256 of the canonical JSON of properties and
// headers, a newline, and the body, with the row's own order number in them.
const EXPAND = `
WITH src AS MATERIALIZED (
  SELECT $1::bigint + g.i AS id, u.num, u.at, t.t AS template,
    CASE WHEN t.is_text THEN convert_to(replace(convert_from(t.body, 'UTF8'), t.token, u.num), 'UTF8') ELSE t.body END AS body
  FROM generate_series($2::int, $3::int) AS g(i)
  CROSS JOIN LATERAL (SELECT 'ORD-' || lpad(($4::bigint + g.i)::text, 8, '0') AS num,
    $5::timestamptz + $6::float8 * (g.i + 1) * interval '1 millisecond' AS at) u
  JOIN ${TEMPLATES} t ON t.t = (g.i::bigint * $7) % $8
),
stored AS (
  INSERT INTO messages (id, source_queue, redelivered, fingerprint, origin_queue, reason, exchange, routing_keys, death_count,
    first_death_at, last_death_at, first_death, last_death, message_id, correlation_id, content_type, content_encoding, size, is_large,
    body, properties, headers, x_death, delivery_exchange, delivery_routing_key, replay_count,
    ingested_at, status, status_changed_at, version, status_before_discard, group_id, exception_type, exception_message,
    owner_team_id, owner_rule_id, owner_checked_at)
  SELECT s.id, t.source_queue, false,
    sha256(convert_to(replace(replace(t.canon, t.token, s.num), lower(t.token), lower(s.num)) || E'\\n', 'UTF8') || s.body),
    t.origin_queue, t.reason::death_reason, t.exchange, t.routing_keys, t.death_count, s.at - t.first_offset, s.at - t.last_offset,
    t.first_death, t.last_death, replace(t.message_id, lower(t.token), lower(s.num)), replace(t.correlation_id, lower(t.token), lower(s.num)),
    t.content_type, t.content_encoding, octet_length(s.body), t.is_large, s.body,
    replace(replace(t.properties, t.token, s.num), lower(t.token), lower(s.num))::jsonb,
    replace(replace(t.headers, t.token, s.num), lower(t.token), lower(s.num))::json, t.x_death, t.delivery_exchange, t.delivery_routing_key, 0,
    s.at, t.status::message_status, s.at + t.status_offset, t.version, t.status_before_discard::message_status, t.group_id,
    t.exception_type, replace(t.exception_message, t.token, s.num), t.owner_team_id, t.owner_rule_id, s.at
  FROM src s JOIN ${TEMPLATES} t ON t.t = s.template
  RETURNING id
)
INSERT INTO message_search (message_id, search_text, body_json)
SELECT s.id, replace(replace(t.search_text, t.token, s.num), lower(t.token), lower(s.num)),
  CASE WHEN t.has_json THEN convert_from(s.body, 'UTF8')::jsonb END
FROM src s JOIN ${TEMPLATES} t ON t.t = s.template`;

const UPDATE_GROUPS = `
UPDATE failure_groups g SET message_count = g.message_count + v.n, first_seen_at = LEAST(g.first_seen_at, v.first),
  last_seen_at = GREATEST(g.last_seen_at, v.last), sample_message_id = GREATEST(g.sample_message_id, v.sample),
  repeated_deaths = g.repeated_deaths OR v.repeated
FROM (SELECT group_id, count(*) AS n, min(ingested_at) AS first, max(ingested_at) AS last, max(id) AS sample, bool_or(death_count >= ${POISON_DEATH_COUNT}) AS repeated
      FROM messages WHERE id BETWEEN $1 AND $2 GROUP BY group_id) v
WHERE g.id = v.group_id`;

// The per-minute inflow history a running console's worker counts live as messages arrive
// (lib/dashboard/count-inflow-step.ts), and how far it has counted: without them the first
// worker started on the seeded database would spend its first minutes walking back over
// 30 days of messages to count them, in the middle of a measure. Not the counter's own
// countMinutes(): the rows added are picked by id, not time, and their counts are added to
// what an earlier seed's rows in the same minutes were counted at.
const SEED_INFLOW = `
INSERT INTO inflow_counts (bucket, source_queue, origin_queue, count, backfilled)
SELECT date_trunc('minute', ingested_at, 'UTC'), source_queue, coalesce(origin_queue, ''), count(*), false
FROM messages WHERE id BETWEEN $1 AND $2 GROUP BY 1, 2, 3
ON CONFLICT (bucket, source_queue, origin_queue) DO UPDATE SET count = inflow_counts.count + EXCLUDED.count`;
const SEED_INFLOW_STATE = `
INSERT INTO inflow_counter_state (id, counted_from, counted_to)
VALUES (true, date_trunc('minute', $1::timestamptz, 'UTC'), date_trunc('minute', now(), 'UTC'))
ON CONFLICT (id) DO NOTHING`;

/** Distinct templates at most: each is built in Node by the worker's code (~0.2 ms), the copies in SQL. */
const MAX_TEMPLATES = 20_000;
const TEMPLATE_BASE = Date.UTC(2026, 0, 1);

export type TSeedResult = { names: TSeedNames; added: number; total: number; seconds: number; indexSeconds: number; firstIndex: number; groups: number };

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Brings `messages` to `count` rows (rows already there count), with their failure groups,
 * teams and ownership. Seeded message i (0-based, across calls) has body order number
 * seedOrderNumber(i). Leaves everything ANALYZEd and vacuumed, as autovacuum would.
 */
export async function seedMessages(ctx: Pick<TBenchContext, 'databaseUrl' | 'prefix' | 'log'>, count: number): Promise<TSeedResult> {
  const started = performance.now();
  const names = seedNames(ctx.prefix);
  const connect = async () => {
    const client = new pg.Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    await client.query(`SET synchronous_commit = off`);
    return client;
  };
  const main = await connect();
  const second = await connect();
  try {
    const existing = Number((await main.query<{ n: string }>('SELECT count(*) AS n FROM messages')).rows[0]!.n);
    const seededBefore = Number((await main.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE source_queue = ANY($1)', [names.sources])).rows[0]!.n);
    const toAdd = Math.max(0, count - existing);
    if (toAdd === 0) return { names, added: 0, total: existing, seconds: 0, indexSeconds: 0, firstIndex: seededBefore, groups: 0 };
    ctx.log(`seed: ${existing} messages stored, adding ${toAdd}`);

    const owners = await ensureTeams(main, ctx.prefix, names);
    const rules = await loadCategoryRules(main as unknown as pg.PoolClient);

    // Templates: rows as the worker builds them, each with its own failure group.
    const templateCount = Math.min(toAdd, MAX_TEMPLATES);
    const templates = Array.from({ length: templateCount }, (_, t) => seedRow(seededBefore + t, names, 0n, new Date(TEMPLATE_BASE)));
    const groups = new Map<string, { id: string; row: TSeedRow; repeated: boolean }>();
    await createGroups(main, templates, groups);
    for (const row of templates) if (row.deathCount >= POISON_DEATH_COUNT) groups.get(row.signature)!.repeated = true;
    await main.query(`DROP TABLE IF EXISTS ${TEMPLATES}`);
    await main.query(CREATE_TEMPLATES);
    for (let t = 0; t < templateCount; t += 1000) {
      const records = templates.slice(t, t + 1000).map((row, k) => templateRecord(t + k, seededBefore + t + k, row, groups.get(row.signature)!.id, owners));
      await main.query(INSERT_TEMPLATES, [JSON.stringify(records)]);
    }
    ctx.log(`seed: ${templateCount} templates built in ${Math.round((performance.now() - started) / 1000)} s; ${groups.size} failure groups`);

    // Ids reserved up front, so the two connections can insert disjoint ranges side by side.
    const seq = (await main.query<{ s: string }>(`SELECT pg_get_serial_sequence('messages', 'id') AS s`)).rows[0]!.s;
    const reserved = await main.query<{ last: string }>(`SELECT setval($1, GREATEST((SELECT last_value FROM ${seq}), COALESCE((SELECT max(id) FROM messages), 0)) + $2) AS last`, [seq, toAdd]);
    const firstId = BigInt(reserved.rows[0]!.last) - BigInt(toAdd) + 1n;

    const bulk = toAdd >= 10_000 && toAdd >= existing / 2;
    const indexes = bulk ? await dropSecondaryIndexes(main) : [];
    const span = 30 * 24 * 3600_000;
    const start = new Date(Date.now() - span);
    let stride = Math.floor(templateCount * 0.618) || 1;
    while (gcd(stride, templateCount) !== 1) stride++;
    const CHUNK = 20_000;
    let next = 0;
    let done = 0;
    let lastLog = performance.now();
    await Promise.all([main, second].map(async (client) => {
      while (next < toAdd) {
        const from = next;
        const to = Math.min(toAdd, from + CHUNK);
        next = to;
        await client.query(EXPAND, [firstId.toString(), from, to - 1, seededBefore, start, span / toAdd, stride, templateCount]);
        done += to - from;
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          ctx.log(`seed: ${done} of ${toAdd} rows (${Math.round(done / ((lastLog - started) / 1000))}/s)`);
        }
      }
    }));
    const added = [firstId.toString(), (firstId + BigInt(toAdd) - 1n).toString()];
    await main.query(UPDATE_GROUPS, added);
    await main.query(SEED_INFLOW, added);
    await main.query(SEED_INFLOW_STATE, [start]);
    await main.query(
      `UPDATE failure_groups g SET category = v.category, suggested_action = v.suggested_action, category_rule_id = v.rule_id
       FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, category text, suggested_action text, rule_id uuid)
       WHERE g.id = v.id AND g.category = 'unknown'`,
      [JSON.stringify([...groups.values()].map((g) => {
        const c = categoriseGroup({ reason: g.row.reason, exceptionType: g.row.exceptionTypeNormalised, exceptionMessage: g.row.exceptionMessageNormalised, repeatedDeaths: g.repeated }, rules);
        return { id: g.id, category: c.category, suggested_action: c.suggestedAction, rule_id: c.categoryRuleId };
      }))],
    );
    await main.query(`DROP TABLE ${TEMPLATES}`);
    const loaded = performance.now();
    ctx.log(`seed: ${toAdd} rows inserted in ${Math.round((loaded - started) / 1000)} s`);
    if (bulk) await rebuildIndexes([main, second], indexes, ctx.log);
    const indexed = performance.now();
    ctx.log('seed: VACUUM ANALYZE');
    await main.query('VACUUM (ANALYZE) messages');
    await main.query('VACUUM (ANALYZE) message_search');
    await main.query('VACUUM (ANALYZE) failure_groups');
    await main.query('VACUUM (ANALYZE) inflow_counts');
    const seconds = (performance.now() - started) / 1000;
    ctx.log(`seed: done in ${Math.round(seconds)} s (indexes ${Math.round((indexed - loaded) / 1000)} s)`);
    return { names, added: toAdd, total: existing + toAdd, seconds, indexSeconds: (indexed - loaded) / 1000, firstIndex: seededBefore, groups: groups.size };
  } finally {
    await main.end();
    await second.end();
  }
}

type TOwners = { teamOf: Map<number, string>; ruleOf: Map<number, string> };

/** The stable part of the worker's fingerprint input (to-dead-letter-row.ts), checked against the worker's own hash. */
function canonicalInput(row: TSeedRow): string {
  const stable = Object.fromEntries(Object.entries(row.headers).filter(([k]) => k !== 'x-delivery-count' && k !== 'x-acquired-count'));
  const canon = canonicalJson({ properties: row.properties, headers: stable });
  const check = createHash('sha256').update(canon).update('\n').update(row.body).digest();
  if (!check.equals(row.fingerprint)) throw new Error('seed: the fingerprint input no longer matches to-dead-letter-row.ts');
  return canon;
}

function templateRecord(t: number, index: number, r: TSeedRow, groupId: string, owners: TOwners) {
  const at = TEMPLATE_BASE;
  return {
    t, token: seedOrderNumber(index), source_queue: r.sourceQueue, origin_queue: r.originQueue, reason: r.reason, exchange: r.exchange,
    routing_keys: r.routingKeys, death_count: r.deathCount,
    first_offset: r.firstDeathAt ? (at - r.firstDeathAt.getTime()) / 1000 : null, last_offset: r.lastDeathAt ? (at - r.lastDeathAt.getTime()) / 1000 : null,
    first_death: r.firstDeath, last_death: r.lastDeath, message_id: r.messageId, correlation_id: r.correlationId,
    content_type: r.contentType, content_encoding: r.contentEncoding, is_large: r.isLarge, body: r.body.toString('base64'), parse_json: r.parseJson === true,
    properties: r.properties, headers: r.headers, x_death: r.xDeath, delivery_exchange: r.deliveryExchange, delivery_routing_key: r.deliveryRoutingKey,
    search_text: r.searchText, canon: canonicalInput(r), status: r.status, status_offset: (r.statusChangedAt.getTime() - r.ingestedAt.getTime()) / 1000,
    version: r.version, status_before_discard: r.statusBeforeDiscard, group_id: groupId, exception_type: r.exceptionType, exception_message: r.exceptionMessage,
    owner_team_id: owners.teamOf.get(r.service) ?? null, owner_rule_id: owners.ruleOf.get(r.service) ?? null,
  };
}

async function createGroups(client: pg.Client, rows: TSeedRow[], groups: Map<string, { id: string; row: TSeedRow; repeated: boolean }>) {
  const fresh = new Map(rows.map((r) => [r.signature, r]));
  // Seen-at bounds open: the expansion's aggregate sets them (LEAST/GREATEST).
  const result = await client.query<{ id: string; signature: string }>(
    `INSERT INTO failure_groups (signature, origin_queue, reason, exception_type, exception_message, framework, first_seen_at, last_seen_at, message_count)
     SELECT decode(g.signature, 'hex'), g.origin_queue, g.reason::death_reason, g.exception_type, g.exception_message, g.framework, 'infinity', '-infinity', 0
     FROM jsonb_to_recordset($1::jsonb) AS g(signature text, origin_queue text, reason text, exception_type text, exception_message text, framework text)
     ON CONFLICT (signature) DO UPDATE SET framework = COALESCE(failure_groups.framework, EXCLUDED.framework)
     RETURNING id::text, encode(signature, 'hex') AS signature`,
    [JSON.stringify([...fresh.values()].map((r) => ({
      signature: r.signature, origin_queue: r.originQueue, reason: r.reason, exception_type: r.exceptionTypeNormalised,
      exception_message: r.exceptionMessageNormalised, framework: r.framework,
    })))],
  );
  for (const g of result.rows) groups.set(g.signature, { id: g.id, row: fresh.get(g.signature)!, repeated: false });
}

/** Four teams, each owning its services' dead-letter queues and, by one origin rule per service, their messages (as the tagger would tag them). */
async function ensureTeams(client: pg.Client, prefix: string, names: TSeedNames): Promise<TOwners> {
  const teamOf = new Map<number, string>();
  const ruleOf = new Map<number, string>();
  let position = (await client.query<{ n: number }>('SELECT COALESCE(max(position), -1)::int + 1 AS n FROM ownership_rules')).rows[0]!.n;
  for (const team of TEAMS) {
    const t = await client.query<{ id: string }>(
      `INSERT INTO teams (id, name, queue, contact) VALUES (gen_random_uuid(), $1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id::text`,
      [`${prefix}.${team.name}`, `${prefix}.${team.name}.inbox`, `#${team.name}-oncall`],
    );
    const teamId = t.rows[0]!.id;
    for (const s of team.services) {
      teamOf.set(s, teamId);
      await client.query(`INSERT INTO team_ownerships (kind, queue, team_id) VALUES ('source', $1, $2) ON CONFLICT DO NOTHING`, [names.sources[s], teamId]);
      const pattern = `${prefix}.${SERVICES[s]}.*`;
      const existing = await client.query<{ id: string }>(`SELECT id::text FROM ownership_rules WHERE team_id = $1 AND match_kind = 'origin_queue' AND pattern = $2`, [teamId, pattern]);
      const rule = existing.rows[0] ?? (await client.query<{ id: string }>(
        `INSERT INTO ownership_rules (id, position, team_id, match_kind, pattern, created_by) VALUES (gen_random_uuid(), $1, $2, 'origin_queue', $3, 'system:bench') RETURNING id::text`,
        [position++, teamId, pattern],
      )).rows[0]!;
      ruleOf.set(s, rule.id);
    }
  }
  return { teamOf, ruleOf };
}

type TIndexDef = { name: string; def: string };

async function dropSecondaryIndexes(client: pg.Client): Promise<TIndexDef[]> {
  // Not the primary key or constraint-backed ones: only plain indexes, rebuilt from their own definitions.
  const { rows } = await client.query<TIndexDef>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid IN ('messages'::regclass, 'message_search'::regclass) AND NOT x.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)`,
  );
  for (const r of rows) await client.query(`DROP INDEX "${r.name}"`);
  return rows;
}

async function rebuildIndexes(clients: pg.Client[], indexes: TIndexDef[], log: (line: string) => void) {
  // GIN builds are single-threaded: the two largest run side by side on two connections.
  const order = [...indexes].sort((a, b) => Number(/USING gin/i.test(b.def)) - Number(/USING gin/i.test(a.def)));
  let next = 0;
  await Promise.all(clients.map(async (client) => {
    await client.query(`SET maintenance_work_mem = '2GB'`);
    await client.query(`SET max_parallel_maintenance_workers = 0`);
    while (next < order.length) {
      const index = order[next++]!;
      const t = performance.now();
      await client.query(index.def);
      log(`seed: index ${index.name} built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  }));
}
