import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { BODIES, mutatingRoutes, NO_SUCH_UUID, type TMethod } from './http-routes';
import { openProbe, sessionContext, startHostileConsole, storeMessage, tokenContext, type THostileConsole } from './http-support';

// What a request points at, made hostile: search and filter strings that look like SQL or
// break a query syntax, ids that are paths or not ids at all, tampered cursors, a cookie
// session without the console's origin, a stale version, a discarded message, another
// team's message. Each answer is a 4xx JSON error (or, for a search, an honest answer), and
// the database is exactly as it was.

let server: THostileConsole;
let admin: APIRequestContext & { authorization: string };
let scopedOperator: APIRequestContext;
let session: APIRequestContext;
const ids = { own: '', other: '', discarded: '' };

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startHostileConsole();
  admin = await tokenContext(server, 'admin');
  session = await sessionContext(server, 'admin');
  const teamA = await server.db.team.create({ data: { name: 'hostile-team-a', queue: 'hostile-a.inbox' } });
  const teamB = await server.db.team.create({ data: { name: 'hostile-team-b', queue: 'hostile-b.inbox' } });
  await server.db.teamOwnership.createMany({ data: [{ kind: 'origin', queue: 'hostile.a', teamId: teamA.id }, { kind: 'origin', queue: 'hostile.b', teamId: teamB.id }] });
  scopedOperator = await tokenContext(server, 'operator', teamA.id);
  ids.own = await storeMessage(server, { originQueue: 'hostile.a' });
  ids.other = await storeMessage(server, { originQueue: 'hostile.b' });
  ids.discarded = await storeMessage(server, { originQueue: 'hostile.a', status: 'discarded' });
  for (let i = 0; i < 3; i++) await storeMessage(server, { originQueue: 'hostile.a', searchText: `hostile page filler ${i}` });
});

test.afterAll(async () => {
  await Promise.all([admin, scopedOperator, session].map((c) => c?.dispose()));
  await server?.stop();
});

const SEARCH_STRINGS = [
  "'; DROP TABLE messages;--", '%', '_', '\\', 'a & | b', '!!!', '(', ')', '"unbalanced', "it's", 'a:*', '<->', 'OR', '-', '*', 'x'.repeat(5000), 'nul\u0000byte', '𝕳𝖔𝖘𝖙𝖎𝖑𝖊 ‮txt', '${jndi:ldap://x}',
];

/** The free-text filters of the lists, and the query parameter each reads. */
const TEXT_FILTERS: [string, string][] = [
  ['/api/v1/messages', 'q'], ['/api/v1/messages', 'source'], ['/api/v1/messages', 'origin'], ['/api/v1/messages', 'path'], ['/api/v1/messages/counts', 'q'],
  ['/api/v1/groups', 'q'], ['/api/v1/groups', 'origin'],
  ['/api/v1/audit', 'actor'], ['/api/v1/audit', 'source'], ['/api/v1/audit', 'origin'], ['/api/v1/audit', 'team'], ['/api/v1/audit', 'messageId'],
];

test('hostile search and filter strings: an answer or a 400 naming the parameter, never a query error', async () => {
  test.setTimeout(180_000);
  const probe = await openProbe(server);
  try {
    for (const [pathname, param] of TEXT_FILTERS) {
      for (const text of SEARCH_STRINGS) {
        const shown = text.length > 40 ? `${text.slice(0, 12)}… (${text.length} chars)` : JSON.stringify(text);
        await probe.send(`GET ${pathname}?${param}=${shown}`, () => admin.get(`${pathname}?${new URLSearchParams({ [param]: text })}`), {
          status: [200, 400], message: new RegExp(`"${param}"|${param}`),
        });
      }
    }
  } finally {
    await probe.close();
  }
  expect(probe.problems).toEqual([]);
  // Wildcards and quotes are text: none of the stored messages contains them.
  for (const q of ['%', '_', '\\', "'"]) {
    const response = await admin.get(`/api/v1/messages?${new URLSearchParams({ q })}`);
    if (response.status() === 200) expect((await response.json()).items, `q=${q} matches nothing`).toEqual([]);
  }
  // And the table is still there.
  expect((await (await admin.get('/api/v1/messages?limit=200')).json()).items.length).toBeGreaterThanOrEqual(6);
});

const HOSTILE_IDS: [string, string][] = [
  ['../../etc/passwd (encoded)', encodeURIComponent('../../etc/passwd')],
  ['%2e%2e%2f', '%2e%2e%2f'],
  ['double-encoded ../', '%252e%252e%252f'],
  ['a huge number', '99999999999999999999999'],
  ['bigint max + 1', '9223372036854775808'],
  ['negative', '-1'],
  ['zero', '0'],
  ['exponent', '1e3'],
  ['a UUID', NO_SUCH_UUID],
  ['Arabic-Indic digits', encodeURIComponent('١٢٣')],
  ['NUL', '1%00'],
  ['quote and semicolon', encodeURIComponent("1';--")],
  ['2,000 characters', 'a'.repeat(2000)],
];

/** Every route with an id in its path, as 'METHOD route': the reads and the state changes. */
const READS_WITH_IDS = [
  'GET messages/[id]', 'GET messages/[id]/body', 'GET messages/[id]/timeline', 'GET messages/[id]/revisions/[number]', 'GET approvals/[id]', 'GET audit/[id]',
  'GET groups/[id]', 'GET jobs/[id]', 'GET jobs/[id]/items', 'GET users/[id]',
];

test('hostile ids in paths: a 400 or 404 JSON error, nothing changed', async () => {
  test.setTimeout(240_000);
  const probe = await openProbe(server);
  const routes = [...READS_WITH_IDS, ...mutatingRoutes().filter((k) => k.includes('['))];
  try {
    for (const key of routes) {
      const [method, route] = key.split(' ') as [TMethod | 'GET', string];
      const body = method === 'GET' ? undefined : BODIES[key];
      for (const [label, id] of HOSTILE_IDS) {
        const url = `/api/v1/${route.replace(/\[number\]/, '0').replace(/\[[^\]]+\]/, id)}`;
        await probe.send(`${key} with id ${label}`, () => admin.fetch(url, { method, ...(body ? { headers: { 'content-type': 'application/json' }, data: Buffer.from(JSON.stringify(body)) } : {}) }), {
          status: [400, 404],
        });
      }
    }
  } finally {
    await probe.close();
  }
  expect(probe.problems).toEqual([]);
});

const b64 = (s: string) => Buffer.from(s).toString('base64url');

test('tampered cursors: a 400 naming the cursor, or a page by the id it carries', async () => {
  const first = await (await admin.get('/api/v1/messages?limit=1')).json() as { nextCursor: string | null };
  expect(first.nextCursor, 'a cursor to tamper with').toEqual(expect.any(String));
  const real = first.nextCursor!;
  const flipped = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
  const probe = await openProbe(server);
  const garbage: [string, string][] = [
    ['base64 garbage', 'AAAA'], ['not base64', '!!!!'], ['a negative id', b64('-5')], ['zero', b64('0')], ['letters', b64('abc')],
    ['past bigint', b64('99999999999999999999')], ['a path', '../'], ['padded', `${real}==`], ['41 characters', 'A'.repeat(41)], ['JSON', b64('{"id":1}')],
  ];
  try {
    for (const list of ['/api/v1/messages', '/api/v1/audit', '/api/v1/groups', '/api/v1/approvals', '/api/v1/jobs']) {
      for (const [label, cursor] of garbage) {
        await probe.send(`GET ${list} with cursor ${label}`, () => admin.get(`${list}?${new URLSearchParams({ cursor })}`), { status: [400], message: /cursor/ });
      }
    }
    // A cursor is the last id of a page: one edited into another id, or taken from another
    // filter, pages from that id. Keyset paging has nothing else to check, and shows no more than the filter allows.
    await probe.send('GET /api/v1/messages with a cursor edited into another id', () => admin.get(`/api/v1/messages?cursor=${flipped}`), { status: [200, 400] });
    await probe.send('GET /api/v1/messages with a cursor from another filter', () => admin.get(`/api/v1/messages?origin=hostile.b&cursor=${real}`), { status: [200] });
  } finally {
    await probe.close();
  }
  expect(probe.problems).toEqual([]);
});

test('cookie-session changes without the console\'s origin: 403 CSRF, nothing changed', async () => {
  test.setTimeout(180_000);
  const attempts: [string, Record<string, string>][] = [
    ['no Origin', {}],
    ['a forged Origin', { origin: 'https://evil.example' }],
    ['Origin null', { origin: 'null' }],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['the console host on another port', { origin: server.baseURL.replace(/:\d+$/, ':1') }],
    ['a lookalike host', { origin: `${server.baseURL}.evil.example` }],
  ];
  const probe = await openProbe(server);
  try {
    for (const key of mutatingRoutes()) {
      const [method, route] = key.split(' ') as [TMethod, string];
      const url = `/api/v1/${route.replace(/\[queue\]/, 'hostile.dlq').replace(/\[id\]/, route.startsWith('messages/') ? ids.own : NO_SUCH_UUID)}`;
      const body = BODIES[key];
      for (const [label, headers] of key.startsWith('POST messages/') ? attempts : attempts.slice(0, 2)) {
        await probe.send(`${key} with a session cookie and ${label}`, () => session.fetch(url, { method, headers: { ...headers, 'content-type': 'application/json' }, data: Buffer.from(JSON.stringify(body ?? {})) }), {
          status: [403], message: /CSRF/,
        });
      }
    }
  } finally {
    await probe.close();
  }
  expect(probe.problems).toEqual([]);
});

test('stale versions, a discarded message, another team\'s message: a 4xx naming the problem, nothing changed', async () => {
  const probe = await openProbe(server);
  const post = (ctx: APIRequestContext, id: string, action: string, data: object, headers: Record<string, string> = {}) =>
    () => ctx.post(`/api/v1/messages/${id}/${action}`, { data, headers });
  const edit = (version: number) => ({ version, body: { encoding: 'utf8', data: '{"n":2}' }, headers: {}, reason: 'hostile' });
  try {
    // A version the message is not at: someone changed it since the caller loaded it.
    for (const [action, data] of [['replay', { version: 7, reason: 'hostile' }], ['discard', { version: 7, reason: 'hostile' }], ['redirect', { version: 7, allTeams: true, reason: 'hostile' }], ['revisions', edit(7)]] as const) {
      await probe.send(`POST messages/[id]/${action} with a stale version`, post(admin, ids.own, action, data), { status: [409], message: /version|changed/i });
    }
    await probe.send('POST messages/[id]/replay with version 0', post(admin, ids.own, 'replay', { version: 0 }), { status: [400], message: /"version"/ });
    await probe.send('POST messages/[id]/replay with version 2^53', post(admin, ids.own, 'replay', { version: 2 ** 53 }), { status: [400, 409], message: /version/ });
    await probe.send('POST messages/[id]/restore of a message that is not discarded', post(admin, ids.own, 'restore', { version: 1, reason: 'hostile' }), { status: [409], message: /not discarded/ });
    // A discarded message is not replayed, redirected, edited or discarded again until restored.
    await probe.send('POST messages/[id]/replay of a discarded message', post(admin, ids.discarded, 'replay', { version: 1, reason: 'hostile' }), { status: [409], message: /discarded/ });
    await probe.send('POST messages/[id]/redirect of a discarded message', post(admin, ids.discarded, 'redirect', { version: 1, allTeams: true, reason: 'hostile' }), { status: [409], message: /discarded/ });
    await probe.send('POST messages/[id]/revisions of a discarded message', post(admin, ids.discarded, 'revisions', edit(1)), { status: [409], message: /discarded/ });
    await probe.send('POST messages/[id]/discard of a discarded message', post(admin, ids.discarded, 'discard', { version: 1, reason: 'hostile' }), { status: [409], message: /already discarded/ });
    await probe.send('POST messages/bulk replay naming a discarded message', () => admin.post('/api/v1/messages/bulk', { data: { action: 'replay', ids: [ids.discarded], reason: 'hostile' } }), { status: [200, 409], message: /discarded/ });
    // Malformed Idempotency-Keys are refused before anything happens.
    for (const key of ['', 'x'.repeat(300), 'with space', '\u00e9t\u00e9']) {
      await probe.send(`POST messages/[id]/replay with Idempotency-Key ${JSON.stringify(key.length > 20 ? `${key.slice(0, 5)}…(${key.length})` : key)}`,
        post(admin, ids.own, 'replay', { version: 7, reason: 'hostile' }, { 'idempotency-key': key }), { status: [400, 409] });
    }
    // A caller limited to team A: team B's message does not exist for it.
    for (const [action, data] of [['replay', { version: 1, reason: 'hostile' }], ['discard', { version: 1, reason: 'hostile' }], ['redirect', { version: 1, allTeams: true, reason: 'hostile' }], ['revisions', edit(1)], ['restore', { version: 1, reason: 'hostile' }]] as const) {
      // An operator may not redirect at all: the permission is refused (403) before the scope is weighed.
      const expected = action === 'redirect' ? { status: [403], message: /messages:redirect/ } : { status: [404], message: /not found|no message/i };
      await probe.send(`POST messages/[id]/${action} on another team's message`, post(scopedOperator, ids.other, action, data), expected);
    }
    for (const sub of ['', '/body', '/timeline', '/revisions/0']) {
      await probe.send(`GET messages/[id]${sub} of another team's message`, () => scopedOperator.get(`/api/v1/messages/${ids.other}${sub}`), { status: [404] });
    }
    await probe.send('POST messages/bulk discard naming another team\'s message', () => scopedOperator.post('/api/v1/messages/bulk', { data: { action: 'discard', ids: [ids.other], reason: 'hostile' }, headers: { 'idempotency-key': randomUUID() } }), {
      status: [400, 403, 404, 409], message: /not found|scope|team|no message|cannot/i,
    });
    await probe.send('POST jobs discarding another team\'s message', () => scopedOperator.post('/api/v1/jobs', { data: { action: 'discard', selection: { ids: [ids.other] }, reason: 'hostile' }, headers: { 'idempotency-key': randomUUID() } }), {
      status: [400, 403, 404, 409], message: /not found|scope|team|no message|cannot/i,
    });
  } finally {
    await probe.close();
  }
  expect(probe.problems).toEqual([]);
});
