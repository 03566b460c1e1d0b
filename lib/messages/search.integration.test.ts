import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { env } from '../env';
import { AppError } from '../errors';
import { parseSearchParams } from '../http/parse-search-params';
import { storeDeadLetters } from '../ingest/store-dead-letters';
import { toDeadLetterRow, type TDelivery } from '../ingest/to-dead-letter-row';
import { createRedactionRule } from '../redaction/create-redaction-rule';
import { deleteRedactionRule } from '../redaction/delete-redaction-rule';
import { createTestDatabase } from '../testing/test-database';
import { countMessages } from './count-messages';
import { findMessages } from './find-messages';
import { ZFindMessagesQuery, ZMessageFilters, type TMessageFilters } from './message-dto';
import { resolveMessageSearch, SEARCH_MAX_IDS } from './message-where';

// Search end to end on a real PostgreSQL: rows stored the way ingest stores them, found by
// words in bodies and header values and by JSON path filters; hostile text stays data.

let db: Awaited<ReturnType<typeof createTestDatabase>>;

const user = (n: number, role: 'viewer' | 'operator' | 'admin'): TActor => ({
  kind: 'user', id: `00000000-0000-4000-8000-00000000000${n}`, email: `${role}@example.com`, role,
});
const operator = user(1, 'operator');
const admin = user(2, 'admin');

let seq = 0;
function delivery(body: string | Buffer, properties: TDelivery['properties'] = {}, source = 'search.dlq'): TDelivery {
  seq++;
  return {
    sourceQueue: source,
    content: typeof body === 'string' ? Buffer.from(body) : body,
    fields: { exchange: 'dlx', routingKey: `orders.${seq}` },
    properties: { messageId: `msg-${seq}`, ...properties, headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: 1 }], ...properties.headers } },
  };
}

async function store(...deliveries: TDelivery[]) {
  await storeDeadLetters(deliveries.map((d) => toDeadLetterRow(d, 64 * 1024)));
}

async function find(filters: TMessageFilters, actor: TActor = admin) {
  const page = await findMessages({ actor, query: { ...filters, limit: 50 } });
  return page.items.map((m) => m.messageId);
}

const parseQuery = (params: Record<string, string>) => parseSearchParams(ZFindMessagesQuery, new URLSearchParams(params));

beforeAll(async () => {
  db = await createTestDatabase('search');
  await store(
    delivery(JSON.stringify({ customer: { id: '42', name: 'Ada Lovelace', tier: 3 }, items: [{ sku: 'SKU-7' }, { sku: 'SKU-9' }], note: 'payment gateway timeout' }), { messageId: 'json-1', contentType: 'application/json' }),
    delivery(JSON.stringify({ customer: { id: '43' }, items: [{ sku: 'SKU-8' }], total: 99.5, note: 'inventory unavailable' }), { messageId: 'json-2' }),
    delivery('plain text: the warehouse refused the parcel', { messageId: 'text-1', headers: { 'x-tenant': 'acme-industries', 'x-attempt': 7 } }),
    delivery('{"card":{"number":"4111111111111111"},"secret":"swordfish"}', { messageId: 'card-1', contentType: 'application/json', headers: { authorization: 'Bearer hunter2' } }),
    delivery(Buffer.from([0x1f, 0x8b, 0x08, 0x00]), { messageId: 'gzip-1', contentEncoding: 'gzip' }),
    delivery('{"quote":"it\'s \\"quoted\\" & | ! ( ) : * \\\\ back","emoji":"naïve ☃ 😀"}', { messageId: 'hostile-1', correlationId: 'ORD-2026/11:29_x' }),
  );
});

afterAll(async () => {
  await db?.drop();
});

describe('ingest for search', () => {
  it('stores the parsed JSON body and the searchable text', async () => {
    const rows = await prisma().message.findMany({ select: { messageId: true, search: { select: { bodyJson: true, searchText: true } } }, orderBy: { id: 'asc' } });
    const by = Object.fromEntries(rows.map((r) => [r.messageId, r.search]));
    expect(by['json-1']!.bodyJson).toMatchObject({ customer: { id: '42' } });
    expect(by['json-2']!.bodyJson).toMatchObject({ total: 99.5 }); // no content type: an object at the start
    expect(by['text-1']!.bodyJson).toBeNull();
    expect(by['gzip-1']!.bodyJson).toBeNull();
    expect(by['text-1']!.searchText).toBe('text-1 x-tenant acme-industries x-attempt 7 plain text: the warehouse refused the parcel');
    expect(by['gzip-1']!.searchText).toBe('gzip-1');
  });
});

describe('full-text search', () => {
  it('finds a word in a JSON body and in a header value', async () => {
    expect(await find({ q: 'gateway' })).toEqual(['json-1']);
    expect(await find({ q: 'acme-industries' })).toEqual(['text-1']);
    expect(await find({ q: 'x-tenant' })).toEqual(['text-1']);
  });

  it('applies phrases, exclusions, OR and prefixes', async () => {
    expect(await find({ q: '"payment gateway"' })).toEqual(['json-1']);
    expect(await find({ q: '"gateway payment"' })).toEqual([]);
    expect(await find({ q: 'customer -lovelace' })).toEqual(['json-2']);
    expect(await find({ q: 'warehouse OR inventory' })).toEqual(['text-1', 'json-2']);
    expect(await find({ q: 'wareh*' })).toEqual(['text-1']);
    expect(await find({ q: 'naïve' })).toEqual(['hostile-1']);
  });

  it('matches an id-like token as a substring, wildcards literal', async () => {
    expect(await find({ q: 'ORD-2026/11' })).toEqual(['hostile-1']);
    expect(await find({ q: 'son-1' })).toEqual(['json-1']);
    expect(await find({ q: '11:29_x' })).toEqual(['hostile-1']);
    expect(await find({ q: '%%%_zz9' })).toEqual([]);
  });

  it('combines with the other filters and pages with the cursor', async () => {
    expect(await find({ q: 'customer', source: 'search.dlq' })).toEqual(['json-2', 'json-1']);
    expect(await find({ q: 'customer', source: 'other' })).toEqual([]);
    const first = await findMessages({ actor: admin, query: { q: 'customer', limit: 1 } });
    expect(first.items.map((m) => m.messageId)).toEqual(['json-2']);
    const second = await findMessages({ actor: admin, query: { q: 'customer', limit: 1, cursor: first.nextCursor! } });
    expect(second.items.map((m) => m.messageId)).toEqual(['json-1']);
    expect(second.nextCursor).toBeNull();
  });

  it('counts what it finds and says when it hit the cap', async () => {
    expect(await countMessages({ actor: admin, filters: { q: 'customer' } })).toMatchObject({ total: 2, capped: false, bySource: [{ source: 'search.dlq', count: 2 }] });
    const capped = await resolveMessageSearch({ q: 'customer' }, { actor: admin, maxIds: 1 });
    expect(capped.capped).toBe(true);
    expect((capped.where.id as { in: bigint[] }).in).toHaveLength(1);
    expect((await resolveMessageSearch({ q: 'customer' }, { actor: admin, maxIds: 2 })).capped).toBe(false);
    expect(SEARCH_MAX_IDS).toBe(10_000);
  });
});

describe('JSON path filter', () => {
  it('compares strings, numbers, nested fields and array elements', async () => {
    expect(await find({ path: '$.customer.id = "42"' })).toEqual(['json-1']);
    expect(await find({ path: '$.customer.tier >= 3' })).toEqual(['json-1']);
    expect(await find({ path: '$.total < 100' })).toEqual(['json-2']);
    expect(await find({ path: '$.items[*].sku == "SKU-8"' })).toEqual(['json-2']);
    expect(await find({ path: '$.items[1].sku == "SKU-9"' })).toEqual(['json-1']);
    expect(await find({ path: '$.customer.name != "x"' })).toEqual(['json-1']);
    expect(await find({ path: '$.total' })).toEqual(['json-2']);
    expect(await find({ path: '$["quote"] = "it\'s \\"quoted\\" & | ! ( ) : * \\\\ back"' })).toEqual(['hostile-1']);
    expect(await find({ path: '$.customer.id = "42"', q: 'inventory' })).toEqual([]);
  });
});

describe('bad and hostile input', () => {
  it('refuses bad syntax with INVALID_INPUT, as the API does (400)', async () => {
    for (const [params, message] of [
      [{ q: 'abc "def' }, 'Invalid query parameter "q": a quote is not closed (at character 5)'],
      [{ q: 'OR abc' }, 'Invalid query parameter "q": OR needs a term before it (at character 1)'],
      [{ q: 'abc - def' }, 'Invalid query parameter "q": "-" must be followed by a word to exclude, without a space (at character 5)'],
      [{ path: '$.a ~ 1' }, 'Invalid query parameter "path": expected an operator (= == != < <= > >=) after the path, found "~" (at character 5)'],
    ] as const) {
      expect(() => parseQuery(params)).toThrow(new AppError('INVALID_INPUT', message));
    }
    await expect(findMessages({ actor: admin, query: { q: '"open', limit: 5 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(countMessages({ actor: admin, filters: { path: 'customer.id' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('keeps hostile text as data: never a SQL error', async () => {
    const hostile = [
      `it's`, `"it's"`, `a\\b \\\\`, `&|!():*`, `x & y | !z`, `abc:*`, `abc') OR 1=1 --`, `'; DROP TABLE messages; --`,
      `naïve ☃ 😀`, `"☃ 😀"`, `abc:*`, `a*b*`, `abc\\"`, `-`, `OR`, `""`, `%_%`, `\\%\\_`, `$1 $2`, `<->`, `a <-> b`, `ab OR cd OR ef`, `-"x" abc`, `日本語のテキスト`,
    ];
    for (const q of hostile) {
      let filters: TMessageFilters;
      try {
        filters = parseQuery({ q });
      } catch (error) {
        expect(error, q).toMatchObject({ code: 'INVALID_INPUT' });
        continue;
      }
      await expect(find(filters), q).resolves.toBeInstanceOf(Array);
      await expect(countMessages({ actor: admin, filters }), q).resolves.toMatchObject({ capped: false });
    }
    expect(await find({ q: `"it's quoted"` })).toEqual(['hostile-1']);
    expect(await find({ q: `x & y | !z` })).toEqual([]);
    for (const q of ['abc\u0000def', 'ab\u0001c', 'abc\ud800']) {
      expect(ZMessageFilters.safeParse({ q }).success, JSON.stringify(q)).toBe(false);
    }
    for (const path of ['$.a = "\\u0000"', '$["\\ud800"]', '$.a = 1e99999', "$.a = 'x' || true", '$.a = "x" && $.b == 1']) {
      expect(() => parseQuery({ path }), path).toThrow(AppError);
    }
    for (const path of ['$["a\\"b"] == "\\\\"', '$["$.*"] != null', '$.a = -0.5e-3', '$["日本"] = "😀"']) {
      await expect(find(ZMessageFilters.parse({ path })), path).resolves.toEqual([]);
    }
    expect(await prisma().message.count()).toBe(6);
  });
});

describe('redaction', () => {
  it('searches identity fields only for readers behind redaction rules, and refuses a path filter on a masked field', async () => {
    expect(await find({ q: 'swordfish' }, operator)).toEqual(['card-1']); // no rules yet
    const pathRule = await createRedactionRule({ actor: admin, kind: 'json_path', pattern: '$.card.number' });
    try {
      expect(await find({ q: 'swordfish' }, operator)).toEqual([]);
      expect(await find({ q: 'hunter2' }, operator)).toEqual([]);
      expect(await find({ q: 'customer -gateway' }, operator)).toEqual([]);
      expect(await find({ q: 'card-1' }, operator)).toEqual(['card-1']);
      expect(await find({ q: 'swordfish' }, admin)).toEqual(['card-1']);
      expect(await countMessages({ actor: operator, filters: { q: 'swordfish' } })).toMatchObject({ total: 0 });
      await expect(find({ path: '$.card.number = "4111111111111111"' }, operator)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: 'The JSON path filter $.card.number reads a field that redaction rule $.card.number masks for you; filtering on it needs the messages:read-sensitive permission',
      });
      await expect(find({ path: '$.card' }, operator)).resolves.toEqual(['card-1']); // its presence is shown anyway
      expect(await find({ path: '$.card.number = "4111111111111111"' }, admin)).toEqual(['card-1']);
      // No actor named: as careful as the most restricted reader.
      expect((await resolveMessageSearch({ q: 'swordfish' })).where.id).toEqual({ in: [] });
    } finally {
      await deleteRedactionRule({ actor: admin, id: pathRule.id });
    }
  });
});

describe('bounded', () => {
  it('ends a search that runs too long with a 400 saying how to narrow it', async () => {
    // Enough rows that an inequality (no index can serve it) outlasts a 1 ms budget.
    await prisma().$executeRawUnsafe(`
      WITH stored AS (
        INSERT INTO messages (source_queue, fingerprint, reason, death_count, size, is_large, body, properties, headers, x_death,
          delivery_exchange, delivery_routing_key)
        SELECT 'bulk.dlq', sha256(int8send(i)), 'rejected', 1, 20, false, '\\x7b7d', '{}', '{}', '[]', '', ''
        FROM generate_series(1, 40000) AS i
        RETURNING id, fingerprint)
      INSERT INTO message_search (message_id, search_text, body_json)
      SELECT s.id, 'bulk ' || i, jsonb_build_object('total', i, 'note', 'filler text ' || i)
      FROM stored s JOIN generate_series(1, 40000) AS i ON s.fingerprint = sha256(int8send(i))`);
    const settings = env() as { DLQ_SEARCH_TIMEOUT_MS: number };
    const saved = settings.DLQ_SEARCH_TIMEOUT_MS;
    settings.DLQ_SEARCH_TIMEOUT_MS = 1;
    try {
      await expect(find({ path: '$.total > 39999.5' })).rejects.toMatchObject({
        code: 'INVALID_INPUT', message: 'Search took too long; narrow it with a source, origin or time range',
      });
    } finally {
      settings.DLQ_SEARCH_TIMEOUT_MS = saved;
    }
    expect(await find({ path: '$.total > 39999.5' })).toEqual([null]);
    const counts = await countMessages({ actor: admin, filters: { q: 'bulk' } });
    expect(counts).toMatchObject({ total: SEARCH_MAX_IDS, capped: true, bySource: [{ source: 'bulk.dlq', count: SEARCH_MAX_IDS }] });
  });
});
