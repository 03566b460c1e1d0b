import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { categoriseGroup, POISON_DEATH_COUNT } from '../../lib/groups/categories';
import { cutWithEllipsis } from '../../lib/groups/cut-text';
import { describeFailure } from '../../lib/groups/failure-signature';
import { loadCategoryRules } from '../../lib/groups/load-category-rules';
import { readException } from '../../lib/groups/read-exception';
import { stripNul } from '../../lib/ingest/typed-headers';
import { toDeadLetterRow, type TDeadLetterRow } from '../../lib/ingest/to-dead-letter-row';
import type { TBenchContext } from './types';

// Stored dead letters for the query measures, a million in a few minutes. Every row goes
// through the worker's own code: toDeadLetterRow (fingerprint, typed headers, x-death
// columns, search text), the classifier's failure signature and exception text
// (describeFailure, readException) and its category rules, and the ownership columns as
// the tagger leaves them. Only the transport differs: rows are generated here and inserted
// with the ingest statement's expressions (body_json parsed by PostgreSQL the same way),
// ids and timestamps set explicitly so the history spreads over 30 days.
//
// The data: 20 services, each with one dead-letter queue (the source) and 3 work queues
// (the origins); ~200 kinds of failure (origin, reason, exception) picked with a skew, so a
// few groups hold most messages; JSON bodies with words and ids worth searching for;
// statuses as operators leave them. A large load drops the secondary indexes of messages
// and builds them again afterwards (as pg_dump's restore does), which is several times
// faster than maintaining the GIN indexes row by row; the definitions are read from the
// database, so the rebuilt indexes are exactly the migrations'.

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

/** Small fast PRNG: the same index always gives the same message, so measures can name what was seeded. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
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
  const r = random(index * 2654435761 + 12345);
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
      contentType: b.contentType, contentEncoding: b.contentEncoding, deliveryMode: 2, messageId: `msg-${(index * 2246822519 >>> 0).toString(16).padStart(8, '0')}-${index}`,
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

const INSERT = `
INSERT INTO messages (id, source_queue, redelivered, fingerprint, origin_queue, reason, exchange, routing_keys, death_count,
  first_death_at, last_death_at, first_death, last_death, message_id, correlation_id, content_type,
  content_encoding, size, is_large, body, properties, headers, x_death, delivery_exchange,
  delivery_routing_key, search_text, replay_id, original_message_id, replay_count, body_json,
  ingested_at, status, status_changed_at, version, status_before_discard, group_id, exception_type, exception_message,
  owner_team_id, owner_rule_id, owner_checked_at)
SELECT r.id, r.source_queue, r.redelivered, decode(r.fingerprint, 'base64'), r.origin_queue, r.reason::death_reason, r.exchange,
  ARRAY(SELECT json_array_elements_text(r.routing_keys)), r.death_count, r.first_death_at, r.last_death_at,
  r.first_death, r.last_death, r.message_id, r.correlation_id, r.content_type, r.content_encoding, r.size,
  r.is_large, decode(r.body, 'base64'), r.properties, r.headers, r.x_death, r.delivery_exchange,
  r.delivery_routing_key, r.search_text, r.replay_id, r.original_message_id, r.replay_count,
  CASE WHEN r.parse_json THEN dlq_try_jsonb(dlq_try_utf8(decode(r.body, 'base64'))) END,
  r.ingested_at, r.status::message_status, r.status_changed_at, r.version, r.status_before_discard::message_status, r.group_id,
  r.exception_type, r.exception_message, r.owner_team_id, r.owner_rule_id, r.ingested_at
FROM json_to_recordset($1::json) AS r(id bigint, source_queue text, redelivered boolean, fingerprint text, origin_queue text,
  reason text, exchange text, routing_keys json, death_count int, first_death_at timestamptz,
  last_death_at timestamptz, first_death jsonb, last_death jsonb, message_id text, correlation_id text,
  content_type text, content_encoding text, size int, is_large boolean, body text, properties jsonb,
  headers json, x_death jsonb, delivery_exchange text, delivery_routing_key text, search_text text,
  replay_id uuid, original_message_id bigint, replay_count int, parse_json boolean,
  ingested_at timestamptz, status text, status_changed_at timestamptz, version int, status_before_discard text, group_id bigint,
  exception_type text, exception_message text, owner_team_id uuid, owner_rule_id uuid)`;

type TGroupStats = { id: string; first: Date; last: Date; count: number; sample: bigint; repeated: boolean; row: TSeedRow };

export type TSeedResult = { names: TSeedNames; added: number; total: number; seconds: number; indexSeconds: number; firstIndex: number; groups: number };

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

    // Ids reserved up front: the classifier's sample id (the group's newest message) is known as rows are built.
    const seq = (await main.query<{ s: string }>(`SELECT pg_get_serial_sequence('messages', 'id') AS s`)).rows[0]!.s;
    const reserved = await main.query<{ last: string }>(`SELECT setval($1, GREATEST((SELECT last_value FROM ${seq}), COALESCE((SELECT max(id) FROM messages), 0)) + $2) AS last`, [seq, toAdd]);
    const firstId = BigInt(reserved.rows[0]!.last) - BigInt(toAdd) + 1n;

    const bulk = toAdd >= 50_000;
    const indexes = bulk ? await dropSecondaryIndexes(main) : [];

    const end = Date.now();
    const span = 30 * 24 * 3600_000;
    const groups = new Map<string, TGroupStats>();
    const CHUNK = 1000;
    let inFlight: Promise<unknown>[] = [];
    const clients = [main, second];
    let turn = 0;
    let lastLog = performance.now();
    for (let offset = 0; offset < toAdd; offset += CHUNK) {
      const batch: TSeedRow[] = [];
      for (let i = offset; i < Math.min(toAdd, offset + CHUNK); i++) {
        const at = new Date(end - span + Math.floor((span * (i + 1)) / toAdd));
        batch.push(seedRow(seededBefore + i, names, firstId + BigInt(i), at));
      }
      const newGroups = batch.filter((row) => !groups.has(row.signature));
      if (newGroups.length > 0) {
        await Promise.all(inFlight);
        inFlight = [];
        await createGroups(main, newGroups, groups);
      }
      for (const row of batch) {
        const g = groups.get(row.signature)!;
        g.count++;
        if (row.ingestedAt < g.first) g.first = row.ingestedAt;
        if (row.ingestedAt > g.last) g.last = row.ingestedAt;
        if (row.id > g.sample) g.sample = row.id;
        if (row.deathCount >= POISON_DEATH_COUNT) g.repeated = true;
      }
      const payload = JSON.stringify(batch.map((row) => toRecord(row, groups.get(row.signature)!.id, owners)));
      const client = clients[turn++ % clients.length]!;
      inFlight.push(client.query(INSERT, [payload]));
      if (inFlight.length >= clients.length) {
        await Promise.all(inFlight);
        inFlight = [];
      }
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        ctx.log(`seed: ${offset + batch.length} of ${toAdd} rows (${Math.round((offset + batch.length) / ((lastLog - started) / 1000))}/s)`);
      }
    }
    await Promise.all(inFlight);

    await main.query(
      `UPDATE failure_groups g SET
         message_count = g.message_count + v.n, first_seen_at = LEAST(g.first_seen_at, v.first), last_seen_at = GREATEST(g.last_seen_at, v.last),
         sample_message_id = GREATEST(g.sample_message_id, v.sample), repeated_deaths = g.repeated_deaths OR v.repeated,
         category = v.category, suggested_action = v.suggested_action, category_rule_id = v.rule_id
       FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, n bigint, first timestamptz, last timestamptz, sample bigint, repeated boolean,
         category text, suggested_action text, rule_id uuid)
       WHERE g.id = v.id`,
      [JSON.stringify([...groups.values()].map((g) => {
        const c = categoriseGroup({ reason: g.row.reason, exceptionType: g.row.exceptionTypeNormalised, exceptionMessage: g.row.exceptionMessageNormalised, repeatedDeaths: g.repeated }, rules);
        return { id: g.id, n: g.count, first: g.first, last: g.last, sample: g.sample.toString(), repeated: g.repeated, category: c.category, suggested_action: c.suggestedAction, rule_id: c.categoryRuleId };
      }))],
    );
    const loaded = performance.now();
    ctx.log(`seed: ${toAdd} rows inserted in ${Math.round((loaded - started) / 1000)} s; ${groups.size} failure groups`);
    if (bulk) await rebuildIndexes([main, second], indexes, ctx.log);
    const indexed = performance.now();
    ctx.log('seed: VACUUM ANALYZE');
    await main.query('VACUUM (ANALYZE) messages');
    await main.query('VACUUM (ANALYZE) failure_groups');
    const seconds = (performance.now() - started) / 1000;
    ctx.log(`seed: done in ${Math.round(seconds)} s (indexes ${Math.round((indexed - loaded) / 1000)} s)`);
    return { names, added: toAdd, total: existing + toAdd, seconds, indexSeconds: (indexed - loaded) / 1000, firstIndex: seededBefore, groups: groups.size };
  } finally {
    await main.end();
    await second.end();
  }
}

type TOwners = { teamOf: Map<number, string>; ruleOf: Map<number, string> };

function toRecord(r: TSeedRow, groupId: string, owners: TOwners) {
  return {
    id: r.id.toString(), source_queue: r.sourceQueue, redelivered: r.redelivered, fingerprint: r.fingerprint.toString('base64'),
    origin_queue: r.originQueue, reason: r.reason, exchange: r.exchange, routing_keys: r.routingKeys,
    death_count: r.deathCount, first_death_at: r.firstDeathAt, last_death_at: r.lastDeathAt,
    first_death: r.firstDeath, last_death: r.lastDeath, message_id: r.messageId, correlation_id: r.correlationId,
    content_type: r.contentType, content_encoding: r.contentEncoding, size: r.size, is_large: r.isLarge,
    body: r.body.toString('base64'), properties: r.properties, headers: r.headers, x_death: r.xDeath,
    delivery_exchange: r.deliveryExchange, delivery_routing_key: r.deliveryRoutingKey, search_text: r.searchText,
    replay_id: r.replayId, original_message_id: r.originalMessageId?.toString() ?? null, replay_count: r.replayCount,
    parse_json: r.parseJson === true,
    ingested_at: r.ingestedAt, status: r.status, status_changed_at: r.statusChangedAt, version: r.version, status_before_discard: r.statusBeforeDiscard,
    group_id: groupId, exception_type: r.exceptionType, exception_message: r.exceptionMessage,
    owner_team_id: owners.teamOf.get(r.service) ?? null, owner_rule_id: owners.ruleOf.get(r.service) ?? null,
  };
}

async function createGroups(client: pg.Client, rows: TSeedRow[], groups: Map<string, TGroupStats>) {
  const fresh = new Map(rows.map((r) => [r.signature, r]));
  const result = await client.query<{ id: string; signature: string }>(
    `INSERT INTO failure_groups (signature, origin_queue, reason, exception_type, exception_message, framework, first_seen_at, last_seen_at, message_count)
     SELECT decode(g.signature, 'hex'), g.origin_queue, g.reason::death_reason, g.exception_type, g.exception_message, g.framework, g.at, g.at, 0
     FROM jsonb_to_recordset($1::jsonb) AS g(signature text, origin_queue text, reason text, exception_type text, exception_message text, framework text, at timestamptz)
     ON CONFLICT (signature) DO UPDATE SET framework = COALESCE(failure_groups.framework, EXCLUDED.framework)
     RETURNING id::text, encode(signature, 'hex') AS signature`,
    [JSON.stringify([...fresh.values()].map((r) => ({
      signature: r.signature, origin_queue: r.originQueue, reason: r.reason, exception_type: r.exceptionTypeNormalised,
      exception_message: r.exceptionMessageNormalised, framework: r.framework, at: r.ingestedAt,
    })))],
  );
  for (const g of result.rows) {
    const row = fresh.get(g.signature)!;
    groups.set(g.signature, { id: g.id, first: row.ingestedAt, last: row.ingestedAt, count: 0, sample: 0n, repeated: false, row });
  }
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
     WHERE x.indrelid = 'messages'::regclass AND NOT x.indisprimary
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
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query(`SET max_parallel_maintenance_workers = 0`);
    while (next < order.length) {
      const index = order[next++]!;
      const t = performance.now();
      await client.query(index.def);
      log(`seed: index ${index.name} built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  }));
}
