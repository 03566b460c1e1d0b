import { test, expect } from '@playwright/test';
import { createToken, seedDeadLetters } from '../support/fixtures';

// The action endpoints as scripts use them: bad input is a 400 that names the problem and
// changes nothing, a stale version a 409 that says what changed, a retried call with the
// same Idempotency-Key the first call's answer.

let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
let operatorToken: string;
let leadToken: string;
let viewerToken: string;

test.beforeAll(async () => {
  seeded = await seedDeadLetters('actions-api', [
    { body: '{"order":1}', contentType: 'application/json', messageId: 'act-edit' },
    { body: '{"order":2}', contentType: 'application/json', messageId: 'act-stale' },
    { body: '{"order":3}', contentType: 'application/json', messageId: 'act-idem' },
    { body: '{"order":4}', contentType: 'application/json', messageId: 'act-team' },
  ]);
  operatorToken = (await createToken('operator')).token;
  leadToken = (await createToken('support_lead')).token;
  viewerToken = (await createToken('viewer')).token;
});
test.afterAll(async () => seeded?.cleanup());

const as = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

async function current(request: import('@playwright/test').APIRequestContext, id: string) {
  const response = await request.get(`/api/v1/messages/${id}`, { headers: as(viewerToken) });
  expect(response.status()).toBe(200);
  return (await response.json()) as { version: number; status: string; revisions: unknown[] };
}

test('an edit with invalid JSON is a 400 with the line and column, and no revision is created', async ({ request }) => {
  const id = seeded.idOf('act-edit');
  const { version } = await current(request, id);
  const response = await request.post(`/api/v1/messages/${id}/revisions`, {
    headers: as(operatorToken), data: { version, body: { encoding: 'utf8', data: '{"order":\n  1,,\n}' }, headers: {} },
  });
  expect(response.status()).toBe(400);
  const { error } = await response.json();
  expect(error.code).toBe('INVALID_INPUT');
  expect(error.message).toMatch(/not valid JSON.*line 2, column 5/);
  expect(await current(request, id)).toMatchObject({ version, status: 'new', revisions: [] });
});

test('malformed request bodies are 400s that name the field', async ({ request }) => {
  const id = seeded.idOf('act-edit');
  const cases: [unknown, RegExp][] = [
    [{ version: 'one' }, /"version"/],
    [{ version: 1, surprise: true }, /Unknown field "surprise"/],
    [{ version: 1, target: { queue: 'a\u0000b' } }, /control characters/],
    [{ version: 1, target: { queue: 'q'.repeat(256) } }, /at most 255 bytes/],
    [{ version: 1, reason: 'r'.repeat(1001) }, /"reason".*1000/],
  ];
  for (const [data, message] of cases) {
    const response = await request.post(`/api/v1/messages/${id}/replay`, { headers: as(operatorToken), data });
    expect(response.status(), JSON.stringify(data)).toBe(400);
    expect((await response.json()).error.message).toMatch(message);
  }
  const notJson = await request.post(`/api/v1/messages/${id}/replay`, {
    headers: as(operatorToken, { 'content-type': 'application/json' }), data: Buffer.from('{"version":'),
  });
  expect(notJson.status()).toBe(400);
  expect((await notJson.json()).error.message).toMatch(/not valid JSON/);
  expect(await current(request, id)).toMatchObject({ status: 'new' });
});

test('a viewer may read but not act; no credentials is a 401', async ({ request }) => {
  const id = seeded.idOf('act-edit');
  const forbidden = await request.post(`/api/v1/messages/${id}/discard`, { headers: as(viewerToken), data: { version: 1 } });
  expect(forbidden.status()).toBe(403);
  expect((await forbidden.json()).error.message).toMatch(/messages:discard/);
  expect((await request.post(`/api/v1/messages/${id}/discard`, { data: { version: 1 } })).status()).toBe(401);
});

test('a stale version is a 409 that says what changed', async ({ request }) => {
  const id = seeded.idOf('act-stale');
  const { version } = await current(request, id);
  const discarded = await request.post(`/api/v1/messages/${id}/discard`, { headers: as(operatorToken), data: { version, reason: 'duplicate of #1' } });
  expect(discarded.status()).toBe(200);
  expect((await discarded.json()).message).toMatchObject({ status: 'discarded', version: version + 1 });

  const stale = await request.post(`/api/v1/messages/${id}/replay`, { headers: as(operatorToken), data: { version } });
  expect(stale.status()).toBe(409);
  const { error } = await stale.json();
  expect(error.message).toMatch(/changed since you loaded it/);
  expect(error.details.current).toEqual({ version: version + 1, status: 'discarded' });
  expect(error.details.changes).toEqual([expect.objectContaining({ action: 'message.discarded', reason: 'duplicate of #1', actor: expect.stringMatching(/^token:/) })]);

  const restored = await request.post(`/api/v1/messages/${id}/restore`, { headers: as(operatorToken), data: { version: version + 1 } });
  expect(restored.status()).toBe(200);
  expect((await restored.json()).message).toMatchObject({ status: 'new', version: version + 2 });

  const timeline = await request.get(`/api/v1/messages/${id}/timeline`, { headers: as(viewerToken) });
  expect(timeline.status()).toBe(200);
  const { items } = (await timeline.json()) as { items: { kind: string; action?: string }[] };
  expect(items.map((i) => i.action ?? i.kind)).toEqual(['ingested', 'message.discarded', 'message.restored']);
});

test('a retried call with the same Idempotency-Key gets the first answer and publishes once', async ({ request }) => {
  const id = seeded.idOf('act-idem');
  const { version } = await current(request, id);
  const send = () => request.post(`/api/v1/messages/${id}/replay`, { headers: as(operatorToken, { 'idempotency-key': `retry-${id}` }), data: { version } });
  const first = await send();
  expect(first.status()).toBe(202);
  const second = await send();
  expect(second.status()).toBe(202);
  expect(second.headers()['idempotent-replayed']).toBe('true');
  const [a, b] = [await first.json(), await second.json()];
  expect(b.dispatches).toEqual(a.dispatches);
  await expect.poll(async () => (await current(request, id)).status, { timeout: 15_000 }).toBe('replayed');
  const detail = (await (await request.get(`/api/v1/messages/${id}`, { headers: as(viewerToken) })).json()) as { dispatches: { state: string }[] };
  expect(detail.dispatches).toEqual([expect.objectContaining({ state: 'published' })]);

  const badKey = await request.post(`/api/v1/messages/${id}/replay`, { headers: as(operatorToken, { 'idempotency-key': 'bad key\u00e9' }), data: { version } });
  expect(badKey.status()).toBe(400);
});

test('a redirect to an unknown team is a 400 naming it', async ({ request }) => {
  const id = seeded.idOf('act-team');
  const { version } = await current(request, id);
  const response = await request.post(`/api/v1/messages/${id}/redirect`, { headers: as(leadToken), data: { version, team: 'nobody-owns-this' } });
  expect(response.status()).toBe(400);
  expect((await response.json()).error.message).toBe('Unknown team "nobody-owns-this"');
  expect(await current(request, id)).toMatchObject({ version, status: 'new' });
});
