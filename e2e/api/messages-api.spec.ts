import { test, expect } from '@playwright/test';
import { createOperator, createToken, seedDeadLetters, signInOverHttp } from '../support/fixtures';

// The HTTP API v1 as scripts use it: bearer tokens, JSON errors, exact bytes.

const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0xc3, 0x28, 0x7f]);
let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
let token: string;

test.beforeAll(async () => {
  seeded = await seedDeadLetters('api', [
    { body: binary, contentType: 'application/x-protobuf', messageId: 'api-binary' },
    { body: '{"order":1}', contentType: 'application/json', messageId: 'api-json' },
    { body: Buffer.alloc(100_000, 'y'), contentType: 'text/plain', messageId: 'api-large' },
    ...Array.from({ length: 7 }, (_, i) => ({ body: `text ${i}`, contentType: 'text/plain', messageId: `api-page-${i}`, reason: 'expired' as const })),
  ]);
  token = (await createToken('viewer')).token;
});
test.afterAll(async () => seeded?.cleanup());

const auth = () => ({ authorization: `Bearer ${token}` });

test('health (liveness) and readiness need no credentials; readiness names each dependency', async ({ request }) => {
  const response = await request.get('/api/v1/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
  const ready = await request.get('/api/v1/health/ready');
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', broker: 'ok', migrations: 'ok', worker: 'ok' } });
});

test('without credentials every API call is a 401 JSON error', async ({ request }) => {
  for (const path of ['/api/v1/messages', `/api/v1/messages/${seeded.idOf('api-json')}`, '/api/v1/messages/counts', '/api/v1/sources']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
  }
});

test('a malformed, unknown or revoked token is refused', async ({ request }) => {
  const { revokeApiToken } = await import('../../lib/tokens/revoke-api-token');
  const created = await createToken('viewer');
  expect((await request.get('/api/v1/messages', { headers: { authorization: `Bearer ${created.token}` } })).status()).toBe(200);
  await revokeApiToken({ actor: { kind: 'system', name: 'cli' }, idOrName: created.id });
  expect((await request.get('/api/v1/messages', { headers: { authorization: `Bearer ${created.token}` } })).status()).toBe(401);
  expect((await request.get('/api/v1/messages', { headers: { authorization: 'Bearer dlq_not-a-real-token' } })).status()).toBe(401);
  expect((await request.get('/api/v1/messages', { headers: { authorization: 'Basic abc' } })).status()).toBe(401);
});

test('bad filters are a 400 that names the parameter', async ({ request }) => {
  const cases: [string, RegExp][] = [
    ['reason=bogus', /"reason"/],
    ['status=gone', /"status"/],
    ['limit=0', /"limit"/],
    ['limit=abc', /"limit"/],
    ['limit=100000', /"limit"/],
    ['from=yesterday', /"from"/],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', /"from"/],
    ['q=ab', /"q"/],
    ['cursor=%27%3B%20DROP%20TABLE%20messages', /"cursor"/],
    [`cursor=${Buffer.from('m0').toString('base64url')}`, /"cursor"/],
    ['colour=blue', /"colour"/],
    ['constructor=x', /"constructor"/],
    ['q=abc%00def', /"q".*control/],
    ['origin=or%01ders', /"origin".*control/],
    ['from=0000-01-01', /"from"/],
    ['from=March%207', /"from".*ISO 8601/],
    [`cursor=${Buffer.from('m9999999999999999999').toString('base64url')}`, /"cursor"/],
    ['reason=rejected&reason=expired', /"reason"/],
  ];
  for (const [query, names] of cases) {
    const response = await request.get(`/api/v1/messages?${query}`, { headers: auth() });
    expect(response.status(), query).toBe(400);
    const { error } = await response.json();
    expect(error.code, query).toBe('INVALID_INPUT');
    expect(error.message, query).toMatch(names);
  }
});

test('unknown and malformed ids are 404', async ({ request }) => {
  for (const id of ['999999999999', '9999999999999999999', '9223372036854775808', 'abc', '..%2F..%2Fetc%2Fpasswd', '-1', '0']) {
    const response = await request.get(`/api/v1/messages/${id}`, { headers: auth() });
    expect(response.status(), id).toBe(404);
    expect((await response.json()).error.code).toBe('NOT_FOUND');
  }
});

test('the body download of an unknown or out-of-range id is 404', async ({ request }) => {
  for (const id of ['999999999999', '9999999999999999999']) {
    expect((await request.get(`/api/v1/messages/${id}/body`, { headers: auth() })).status(), id).toBe(404);
  }
});

test('a binary body comes back byte-identical, as base64 in the detail and raw from /body', async ({ request }) => {
  const id = seeded.idOf('api-binary');
  const detail = await (await request.get(`/api/v1/messages/${id}`, { headers: auth() })).json();
  expect(detail.body.encoding).toBe('base64');
  expect(Buffer.from(detail.body.data, 'base64').equals(binary)).toBe(true);
  expect(detail).toMatchObject({ id, source: seeded.dlq, origin: seeded.work, reason: 'rejected', size: binary.length, truncated: false });
  const raw = await request.get(`/api/v1/messages/${id}/body`, { headers: auth() });
  expect(raw.headers()['content-type']).toBe('application/octet-stream');
  expect(raw.headers()['content-disposition']).toMatch(/^attachment/);
  expect((await raw.body()).equals(binary)).toBe(true);
});

test('a JSON body is utf8 with typed x-death and the list item fields', async ({ request }) => {
  const detail = await (await request.get(`/api/v1/messages/${seeded.idOf('api-json')}`, { headers: auth() })).json();
  expect(detail.body).toEqual({ encoding: 'utf8', data: '{"order":1}' });
  expect(detail.xDeath).toEqual([expect.objectContaining({ queue: seeded.work, reason: 'rejected', count: 1, routingKeys: [seeded.work] })]);
  expect(detail.headers['x-first-death-reason']).toEqual({ type: 'string', value: 'rejected' });
  for (const key of ['id', 'source', 'origin', 'reason', 'status', 'deathCount', 'firstDeathAt', 'lastDeathAt', 'ingestedAt', 'exchange', 'routingKeys', 'messageId', 'correlationId', 'contentType', 'size', 'properties', 'headers', 'xDeath', 'body', 'truncated']) {
    expect(detail, key).toHaveProperty(key);
  }
});

test('a large body is flagged, cut in the detail and whole from /body', async ({ request }) => {
  const id = seeded.idOf('api-large');
  const detail = await (await request.get(`/api/v1/messages/${id}`, { headers: auth() })).json();
  expect(detail).toMatchObject({ size: 100_000, isLarge: true, truncated: true, body: { encoding: 'utf8' } });
  expect(detail.body.data).toHaveLength(65_536);
  const raw = await request.get(`/api/v1/messages/${id}/body`, { headers: auth() });
  expect((await raw.body()).equals(Buffer.alloc(100_000, 'y'))).toBe(true);
  const page = await (await request.get(`/api/v1/messages?source=${encodeURIComponent(seeded.dlq)}&q=api-large`, { headers: auth() })).json();
  expect(page.items).toEqual([expect.objectContaining({ id, isLarge: true, size: 100_000 })]);
  expect(page.items[0]).not.toHaveProperty('body');
});

test('cursor pagination walks every message once, newest first', async ({ request }) => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/messages?source=${encodeURIComponent(seeded.dlq)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page: { items: { id: string }[]; nextCursor: string | null } = await (await request.get(url, { headers: auth() })).json();
    expect(page.items.length).toBeLessThanOrEqual(2);
    seen.push(...page.items.map((m) => m.id));
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toHaveLength(10);
  expect(new Set(seen).size).toBe(10);
  expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
});

test('filters and counts agree', async ({ request }) => {
  const q = `source=${encodeURIComponent(seeded.dlq)}`;
  const expired = await (await request.get(`/api/v1/messages?${q}&reason=expired`, { headers: auth() })).json();
  expect(expired.items).toHaveLength(7);
  const counts = await (await request.get(`/api/v1/messages/counts?${q}`, { headers: auth() })).json();
  expect(counts).toEqual({
    total: 10,
    bySource: [{ source: seeded.dlq, count: 10 }],
    byReason: [{ reason: 'rejected', count: 3 }, { reason: 'expired', count: 7 }],
    capped: false,
  });
  const search = await (await request.get(`/api/v1/messages?${q}&q=API-PAGE-3`, { headers: auth() })).json();
  expect(search.items.map((m: { messageId: string }) => m.messageId)).toEqual(['api-page-3']);
  const wildcard = await (await request.get(`/api/v1/messages?${q}&q=api_page%25`, { headers: auth() })).json();
  expect(wildcard.items).toEqual([]);
});

test('a signed-in session reaches the same API without a token', async ({ request }) => {
  const user = await createOperator('viewer');
  await signInOverHttp(request, user);
  const me = await (await request.get('/api/v1/me')).json();
  expect(me).toMatchObject({ kind: 'user', email: user.email, role: 'viewer' });
});
