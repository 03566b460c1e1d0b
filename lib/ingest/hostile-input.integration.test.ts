import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Options } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { parseEnv } from '../env';
import { addSources } from '../sources/add-sources';
import { openDbSnapshots, diffSnapshots } from '../testing/db-snapshot';
import { recordHostile, type THostileRow } from '../testing/faults/report';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { runWorker, type TWorker } from '../worker/run-worker';
import type { TTypedTable, TTypedValue } from './typed-headers';

// Hostile input over AMQP, through the real worker into the real PostgreSQL: each case is
// one message sent to a source queue. It must be stored exactly once, byte-exact, with its
// typed headers kept and its derived columns sane, and change nothing else (every table's
// row count and content digest are compared before and after). The rendering half is e2e/hostile/render.spec.ts.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let worker: TWorker;
let dlq: string;
let fanout: string;
// The worker's own default: bodies past it are stored the same way, flagged large.
const LARGE_BODY_BYTES = parseEnv({}).DLQ_LARGE_BODY_BYTES;

beforeAll(async () => {
  db = await createTestDatabase('hostile-input');
  broker = await createTestBroker('hostile-input');
  dlq = await broker.queue('dlq');
  fanout = await broker.exchange('fan', 'fanout');
  await broker.channel.bindQueue(dlq, fanout, '');
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
  worker = runWorker({ rabbitUrl: TEST_RABBITMQ_URL, refreshMs: 200, prefetch: 50, batchSize: 20, batchWaitMs: 30, largeBodyBytes: LARGE_BODY_BYTES });
  await worker.ready;
  // Bodies leave the digest: every snapshot would hash the 20 MB one again. Their size,
  // fingerprint and every other column stay in it.
  snapshots = await openDbSnapshots(db.url, { ignoreColumns: { messages: ['body'], message_search: ['body_json', 'search_text', 'search_vector'] } });
}, 60_000);
afterAll(async () => {
  await snapshots?.close();
  await worker?.stop();
  await broker?.cleanup();
  await db?.drop();
});

type TStored = Awaited<ReturnType<typeof fetchStored>>[number];

let snapshots: Awaited<ReturnType<typeof openDbSnapshots>>;

/** The stored rows with their search row's text and parsed JSON, as one object each. */
const fetchStored = async (messageId: string) => {
  const rows = await prisma().message.findMany({ where: { sourceQueue: dlq, messageId }, omit: { body: false }, include: { search: true }, orderBy: { id: 'asc' } });
  return rows.map(({ search, ...row }) => ({ ...row, bodyJson: search?.bodyJson ?? null, searchText: search?.searchText ?? null }));
};

let seq = 0;
const uniqueId = (label: string) => `${label}-${++seq}-${Date.now().toString(36)}`;

/**
 * Sends one message (by `publish`), waits until the source queue is drained and the message
 * stored, and compares the database before and after (every table's row count and content
 * digest): one more row in messages and its search row in message_search, that row the
 * message's, and no other table changed.
 */
async function ingestOne(publish: (messageId: string) => void, messageId = uniqueId('m')) {
  const before = await snapshots.take();
  publish(messageId);
  await waitFor(async () => (await fetchStored(messageId)).length >= 1 || undefined, { timeoutMs: 60_000, what: `message ${messageId.slice(0, 60)} stored` });
  await waitFor(async () => (await broker.messageCount(dlq)) === 0 || undefined, { what: 'the source drained' });
  const rows = await fetchStored(messageId);
  const changes = diffSnapshots(before, await snapshots.take());
  const grew = (table: string) => `${table}: ${before.get(table)!.rows} → ${before.get(table)!.rows + 1} rows`;
  const changedNothing = rows.length === 1 && changes.length === 2 && changes.includes(grew('messages')) && changes.includes(grew('message_search'));
  if (!changedNothing) console.warn(`${messageId.slice(0, 60)}: ${rows.length} rows stored; changes ${changes.join(', ')}`);
  return { row: rows[0]!, rows, changedNothing };
}

const send = (body: Buffer | string, options: Options.Publish = {}) => (messageId: string) =>
  void broker.channel.sendToQueue(dlq, typeof body === 'string' ? Buffer.from(body) : body, { ...options, messageId });

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function isBodyExact(row: TStored, sent: Buffer) {
  return Buffer.from(row.body).equals(sent) && row.size === sent.length;
}

async function record(area: THostileRow['area'], name: string, outcome: string, changedNothing: boolean) {
  await recordHostile({ area, case: name, outcome, changedNothing });
}

const headersOf = (row: TStored) => row.headers as TTypedTable;

describe('hostile bodies', () => {
  it('stores a 20 MB body byte-exact, flagged large, without a parsed form', async () => {
    // The broker's own limit (max_message_size) is 128 MiB from 3.8 on; 20 MB is far inside it.
    const body = Buffer.alloc(20 * 1000 * 1000);
    for (let i = 0; i < body.length; i += 4096) body.write(`{"chunk":${i}}`, i);
    const { row, changedNothing } = await ingestOne(send(body, { contentType: 'application/json' }));
    expect(sha(row.body)).toBe(sha(body));
    expect(row).toMatchObject({ size: body.length, isLarge: true });
    expect(row.bodyJson).toBeNull();
    expect(changedNothing).toBe(true);
    await record('bodies', '20 MB body', `stored byte-exact (sha256 equal), is_large (limit ${LARGE_BODY_BYTES} bytes)`, changedNothing);
  }, 120_000);

  it('stores an empty body', async () => {
    const { row, changedNothing } = await ingestOne(send(Buffer.alloc(0), { contentType: 'application/json' }));
    expect(row.body.length).toBe(0);
    expect(row).toMatchObject({ size: 0, isLarge: false, bodyJson: null });
    expect(changedNothing).toBe(true);
    await record('bodies', 'empty body', 'stored, size 0', changedNothing);
  });

  it('stores invalid UTF-8 byte-exact and leaves it out of search text', async () => {
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x7d]);
    const { row, changedNothing } = await ingestOne(send(body, { contentType: 'application/json' }));
    expect(isBodyExact(row, body)).toBe(true);
    expect(row.bodyJson).toBeNull();
    expect(changedNothing).toBe(true);
    await record('bodies', 'invalid UTF-8', 'stored byte-exact, body_json NULL', changedNothing);
  });

  it('stores UTF-16 with a BOM byte-exact', async () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name":"Zoë ✓"}', 'utf16le')]);
    const { row, changedNothing } = await ingestOne(send(body, { contentType: 'application/json; charset=utf-16' }));
    expect(isBodyExact(row, body)).toBe(true);
    expect(row.bodyJson).toBeNull();
    expect(changedNothing).toBe(true);
    await record('bodies', 'UTF-16 with BOM', 'stored byte-exact (not re-encoded), body_json NULL', changedNothing);
  });

  it('stores a gzip body as the compressed bytes, with its content encoding', async () => {
    const plain = JSON.stringify({ order: 42, note: 'compressed' });
    const body = gzipSync(plain);
    const { row, changedNothing } = await ingestOne(send(body, { contentType: 'application/json', contentEncoding: 'gzip' }));
    expect(isBodyExact(row, body)).toBe(true);
    expect(row).toMatchObject({ contentEncoding: 'gzip', bodyJson: null });
    expect(changedNothing).toBe(true);
    await record('bodies', 'gzip with content-encoding', 'stored compressed byte-exact, encoding kept', changedNothing);
  });

  it('stores JSON nested 10,000 levels deep whole, headers and all', async () => {
    const arrays = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const objects = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    for (const [label, text] of [['arrays', arrays], ['objects', objects]] as const) {
      const body = Buffer.from(text);
      const { row, changedNothing } = await ingestOne(send(body, { contentType: 'application/json', headers: { kept: 'yes' } }));
      expect(isBodyExact(row, body)).toBe(true);
      // Not set aside as a poison message: the headers are the ones sent.
      expect(headersOf(row).kept).toEqual({ type: 'string', value: 'yes' });
      expect(changedNothing).toBe(true);
      await record('bodies', `JSON nested 10,000 deep (${label})`, `stored byte-exact, headers kept, body_json ${row.bodyJson === null ? 'NULL (too deep for jsonb)' : 'parsed'}`, changedNothing);
    }
  });

  it('stores JSON with __proto__ keys as data, polluting no prototype', async () => {
    const text = '{"__proto__":{"polluted":"body"},"constructor":{"prototype":{"polluted":"body"}},"a":{"__proto__":{"isAdmin":true}}}';
    const body = Buffer.from(text);
    const { row, changedNothing } = await ingestOne(send(body, { contentType: 'application/json' }));
    expect(isBodyExact(row, body)).toBe(true);
    const parsed = row.bodyJson as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['__proto__', 'a', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ polluted: 'body' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(changedNothing).toBe(true);
    await record('bodies', 'JSON with __proto__ keys', 'stored byte-exact; body_json keeps __proto__ as an own key; Object.prototype clean', changedNothing);
  });

  it('keeps huge numbers exactly as written', async () => {
    const text = '{"big":1e400,"wide":12345678901234567890123,"tiny":-1.000000000000000000000000001e-400}';
    const body = Buffer.from(text);
    const { row, changedNothing } = await ingestOne(send(body, { contentType: 'application/json' }));
    expect(isBodyExact(row, body)).toBe(true);
    // jsonb keeps numbers as numeric: the digits survive in PostgreSQL too.
    const [json] = await prisma().$queryRaw<{ wide: string }[]>`SELECT body_json->>'wide' AS wide FROM message_search WHERE message_id = ${row.id}`;
    expect(json!.wide).toBe('12345678901234567890123');
    expect(changedNothing).toBe(true);
    await record('bodies', 'huge numbers (1e400, 12345678901234567890123)', 'stored byte-exact; body_json numeric keeps every digit', changedNothing);
  });

  it('stores NUL bytes byte-exact, though PostgreSQL text and jsonb refuse U+0000', async () => {
    for (const [label, body] of [
      ['raw NUL in text', Buffer.from('before\u0000after\u0000')],
      ['\\u0000 escape in JSON', Buffer.from('{"nul":"a\\u0000b"}')],
      ['raw NUL inside a JSON string', Buffer.from('{"nul":"a\u0000b"}')],
    ] as const) {
      const { row, changedNothing } = await ingestOne(send(body, { contentType: 'application/json', headers: { 'x-note': 'nul\u0000inside' } }));
      expect(isBodyExact(row, body)).toBe(true);
      expect(headersOf(row)['x-note']).toEqual({ type: 'string', base64: Buffer.from('nul\u0000inside').toString('base64') });
      expect(row.searchText).not.toContain('\u0000');
      expect(changedNothing).toBe(true);
      await record('bodies', `NUL bytes (${label})`, 'stored byte-exact; header with U+0000 kept as base64', changedNothing);
    }
  });
});

describe('hostile headers', () => {
  it('keeps every AMQP field type with its type', async () => {
    const tagged = (type: string, value: unknown) => ({ '!': type, value });
    const headers = {
      int8: tagged('int8', -128), uint8: tagged('uint8', 255), int16: tagged('int16', -32768), uint16: tagged('uint16', 65535),
      int32: tagged('int32', -2147483648), uint32: tagged('uint32', 4294967295),
      int64safe: tagged('int64', Number.MAX_SAFE_INTEGER), int64min: tagged('int64', '-9007199254740991'),
      float: tagged('float', 1.5), double: tagged('double', -2.5e-300), decimal: tagged('decimal', { places: 3, digits: 1234567 }),
      timestamp: tagged('timestamp', 1_700_000_000), yes: true, no: false, bytes: Buffer.from([0, 1, 0xfe, 0xff]), nothing: null,
      long: 'L'.repeat(60_000), empty: '',
      array: [1, 'two', [3, [4]], { five: 5 }, null, Buffer.from('6')], table: { inner: { deeper: { x: tagged('int16', 7) } } },
    };
    const { row, changedNothing } = await ingestOne(send('typed', { headers }));
    const h = headersOf(row);
    const expected: TTypedTable = {
      int8: { type: 'number', value: -128 }, uint8: { type: 'number', value: 255 }, int16: { type: 'number', value: -32768 },
      uint16: { type: 'number', value: 65535 }, int32: { type: 'number', value: -2147483648 }, uint32: { type: 'number', value: 4294967295 },
      int64safe: { type: 'number', value: Number.MAX_SAFE_INTEGER }, int64min: { type: 'number', value: -9007199254740991 },
      float: { type: 'number', value: 1.5 }, double: { type: 'number', value: -2.5e-300 },
      decimal: { type: 'decimal', value: { places: 3, digits: 1234567 } }, timestamp: { type: 'timestamp', value: 1_700_000_000 },
      yes: { type: 'boolean', value: true }, no: { type: 'boolean', value: false }, bytes: { type: 'bytes', base64: 'AAH+/w==' },
      nothing: { type: 'void' }, long: { type: 'string', value: 'L'.repeat(60_000) }, empty: { type: 'string', value: '' },
      array: {
        type: 'array',
        value: [
          { type: 'number', value: 1 }, { type: 'string', value: 'two' },
          { type: 'array', value: [{ type: 'number', value: 3 }, { type: 'array', value: [{ type: 'number', value: 4 }] }] },
          { type: 'table', value: { five: { type: 'number', value: 5 } } }, { type: 'void' }, { type: 'bytes', base64: 'Ng==' },
        ],
      },
      table: { type: 'table', value: { inner: { type: 'table', value: { deeper: { type: 'table', value: { x: { type: 'number', value: 7 } } } } } } },
    };
    expect(h).toEqual(expected);
    // The headers keep the order they arrived in (stored as json, not jsonb).
    expect(Object.keys(h)).toEqual(Object.keys(headers));
    expect(changedNothing).toBe(true);
    await record('headers', 'every AMQP field type', 'each stored with its type (integer widths become "number", as amqplib decodes them)', changedNothing);
  });

  it('keeps int64 and timestamp values as amqplib hands them over (exact up to 2^53)', async () => {
    const headers = { max: { '!': 'int64', value: '9223372036854775807' }, min: { '!': 'int64', value: '-9223372036854775808' } };
    const { row, changedNothing } = await ingestOne(send('int64', { headers }));
    const h = headersOf(row) as Record<string, { type: string; value: number }>;
    // amqplib decodes a 64-bit integer to a JS number: past 2^53 it is rounded before the
    // worker sees it. Stored as that number, still typed; never as a string or dropped.
    expect(h.max).toEqual({ type: 'number', value: 9223372036854775807 });
    expect(h.min).toEqual({ type: 'number', value: -9223372036854775808 });
    expect(changedNothing).toBe(true);
    await record('headers', 'int64 2^63-1 and -2^63', 'stored as numbers; rounded to 9223372036854775808 by amqplib decoding (limit of the client library)', changedNothing);
  });

  it('keeps a header key of 255 bytes, the AMQP maximum', async () => {
    const ascii = 'k'.repeat(255);
    const multibyte = '€'.repeat(85); // 3 bytes each
    expect(Buffer.byteLength(multibyte)).toBe(255);
    const { row, changedNothing } = await ingestOne(send('long keys', { headers: { [ascii]: 'ascii', [multibyte]: 'euro' } }));
    expect(headersOf(row)[ascii]).toEqual({ type: 'string', value: 'ascii' });
    expect(headersOf(row)[multibyte]).toEqual({ type: 'string', value: 'euro' });
    // 256 bytes cannot be written at all: the client refuses before anything is sent.
    expect(() => broker.channel.sendToQueue(dlq, Buffer.from('x'), { headers: { ['k'.repeat(256)]: 1 } })).toThrow();
    expect(changedNothing).toBe(true);
    await record('headers', 'header keys of 255 bytes (ASCII and 3-byte UTF-8)', 'stored intact; 256 bytes refused by the client', changedNothing);
  });

  it('keeps header tables and arrays nested past the cut, cut at the same depth', async () => {
    let deepArray: unknown = 'bottom';
    for (let i = 0; i < 1000; i++) deepArray = [deepArray];
    const { row, changedNothing } = await ingestOne(send('deep arrays', { headers: { deepArray, plain: 'kept' } }));
    let node = headersOf(row).deepArray as TTypedValue;
    let levels = 0;
    while (node.type === 'array') { node = node.value[0]!; levels++; }
    expect(node.type).toBe('too-deep');
    expect(levels).toBeGreaterThan(10);
    expect(headersOf(row).plain).toEqual({ type: 'string', value: 'kept' });
    expect(changedNothing).toBe(true);
    await record('headers', 'arrays nested 1,000 deep', `stored, cut after ${levels} levels with a too-deep marker`, changedNothing);
  });

  it('keeps a header named __proto__, whatever its value, without polluting prototypes', async () => {
    // A literal {"__proto__": ...} would set the prototype; JSON.parse makes it an own key, as a wire table holds it.
    const headers = JSON.parse('{"__proto__":{"x-death":[{"queue":"forged","reason":"rejected","count":1}],"polluted":"yes"},"inner":{"__proto__":["a"]},"plain":"kept"}') as Record<string, unknown>;
    const { row, changedNothing } = await ingestOne(send('proto header', { headers }));
    const h = headersOf(row);
    expect(Object.keys(h).sort()).toEqual(['__proto__', 'inner', 'plain']);
    expect(Object.getOwnPropertyDescriptor(h, '__proto__')?.value).toMatchObject({ type: 'table' });
    expect(Object.getOwnPropertyDescriptor((h.inner as { value: TTypedTable }).value, '__proto__')?.value).toEqual({ type: 'array', value: [{ type: 'string', value: 'a' }] });
    // The forged x-death inside the __proto__ header is not read as the message's own.
    expect(row).toMatchObject({ originQueue: null, reason: 'unknown', deathCount: 0 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(changedNothing).toBe(true);
    await record('headers', '__proto__ header (table, nested array)', 'stored as an own key; not read as x-death; Object.prototype clean', changedNothing);
  });

  const xDeathCases: [string, unknown, Partial<TStored>][] = [
    ['x-death not an array (table)', { queue: 'orders', reason: 'rejected', count: 1 }, { originQueue: null, reason: 'unknown', deathCount: 0 }],
    ['x-death a string', 'rejected from orders', { originQueue: null, reason: 'unknown', deathCount: 0 }],
    ['x-death entries of wrong types', [{ queue: 42, reason: { r: 1 }, count: 'x' }, 'entry', 7, null], { originQueue: null, reason: 'unknown', deathCount: 0 }],
    ['x-death entry missing fields', [{}, { queue: 'orders' }], { originQueue: null, reason: 'unknown', deathCount: 0 }],
    ['x-death count 2^63-1', [{ queue: 'orders', reason: 'rejected', count: { '!': 'int64', value: '9223372036854775807' } }], { originQueue: 'orders', reason: 'rejected', deathCount: 1 }],
    ['x-death count negative', [{ queue: 'orders', reason: 'expired', count: -5 }], { originQueue: 'orders', reason: 'expired', deathCount: 1 }],
    ['x-death count as string', [{ queue: 'orders', reason: 'maxlen', count: '7' }], { originQueue: 'orders', reason: 'maxlen', deathCount: 1 }],
    ['x-death count 2^31 (past int)', [{ queue: 'orders', reason: 'rejected', count: { '!': 'int64', value: 2 ** 31 } }, { queue: 'b', reason: 'rejected', count: { '!': 'int64', value: 2 ** 31 } }], { originQueue: 'orders', deathCount: 2_147_483_647 }],
    ['x-death time as string', [{ queue: 'orders', reason: 'rejected', count: 2, time: '2024-01-01T00:00:00Z' }], { originQueue: 'orders', deathCount: 2, firstDeathAt: null }],
    ['x-death unknown reason', [{ queue: 'orders', reason: 'DROP TABLE messages', count: 1 }], { originQueue: 'orders', reason: 'unknown', deathCount: 1 }],
  ];

  for (const [name, xDeath, derived] of xDeathCases) {
    it(`stores a message whose ${name}, with sane derived columns`, async () => {
      const { row, changedNothing } = await ingestOne(send('forged', { headers: { 'x-death': xDeath } }));
      expect(row).toMatchObject(derived);
      expect(row.deathCount).toBeGreaterThanOrEqual(0);
      expect(row.deathCount).toBeLessThanOrEqual(2_147_483_647);
      // The raw header is stored as it came, whatever the parse made of it.
      expect(headersOf(row)['x-death']).toBeDefined();
      expect(changedNothing).toBe(true);
      await record('headers', name, `stored; derived origin ${row.originQueue ?? 'null'}, reason ${row.reason}, count ${row.deathCount}`, changedNothing);
    });
  }

  it('stores the int64 x-death count the broker would write at its limit without overflow', async () => {
    const { row } = await ingestOne(send('count', { headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: { '!': 'int64', value: '9223372036854775807' } }] } }));
    const entries = row.xDeath as { count: number }[];
    expect(entries).toHaveLength(1);
    expect(Number.isFinite(entries[0]!.count)).toBe(true);
  });

  const HOSTILE = [
    '<script>window.__pwned=1;alert(1)</script>',
    '"><img src=x onerror="window.__pwned=1;alert(1)">',
    'javascript:window.__pwned=1;alert(1)',
    'invoice\u202Efdp.exe',
    'zero\u200Bwidth\u200D\uFEFFjoin',
  ];

  it('stores hostile strings intact in headers, routing keys, x-death queues, ids, exception messages and bodies', async () => {
    for (const s of HOSTILE) {
      const messageId = `${s} ${uniqueId('hostile')}`;
      const headers = {
        'x-exception-message': s, 'x-exception-stacktrace': `Error: ${s}\n    at handler (${s}:1:1)`, link: s, traceparent: s,
        [s]: s, nested: { [s]: [s] },
        'x-death': [{ queue: s, reason: 'rejected', count: 1, exchange: s, 'routing-keys': [s], time: { '!': 'timestamp', value: 1_700_000_000 } }],
        'x-first-death-queue': s,
      };
      const publish = (id: string) => void broker.channel.publish(fanout, s, Buffer.from(JSON.stringify({ s, [s]: s })), { headers, messageId: id, correlationId: s, type: s, contentType: 'application/json' });
      const { row, changedNothing } = await ingestOne(publish, messageId);
      expect(row.messageId).toBe(messageId);
      expect(row.correlationId).toBe(s);
      expect(row.deliveryRoutingKey).toBe(s);
      expect(row.originQueue).toBe(s);
      expect(row.exchange).toBe(s);
      expect(row.routingKeys).toEqual([s]);
      expect(headersOf(row)[s]).toEqual({ type: 'string', value: s });
      expect(headersOf(row)['x-exception-message']).toEqual({ type: 'string', value: s });
      expect(Buffer.from(row.body).toString()).toBe(JSON.stringify({ s, [s]: s }));
      expect(changedNothing).toBe(true);
      await record('headers', `hostile string ${JSON.stringify(s)} everywhere`, 'stored intact in headers, keys, routing key, x-death, ids and body', changedNothing);
    }
  });
});
