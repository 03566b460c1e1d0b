import { randomBytes } from 'node:crypto';
import { createToken, expect, test } from '../support/fixtures';

// The v1 endpoints as a script calls them: with a bearer token, JSON in and out.

const unique = (label: string) => `${label}-${randomBytes(3).toString('hex')}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('teams: admins create, change and delete; viewers list; mistakes are 400, 404 and 409', async ({ request }) => {
  const admin = bearer((await createToken('admin')).token);
  const viewer = bearer((await createToken('viewer')).token);
  const name = unique('api-team');

  const created = await request.post('/api/v1/teams', { headers: admin, data: { name, queue: 'api.fixes' } });
  expect(created.status()).toBe(201);
  const { team } = await created.json();
  expect(team).toMatchObject({ name, queue: 'api.fixes', exchange: null, routingKey: null, contact: null });

  const listed = await request.get('/api/v1/teams', { headers: viewer });
  expect(listed.status()).toBe(200);
  expect((await listed.json()).items).toContainEqual(team);

  const again = await request.post('/api/v1/teams', { headers: admin, data: { name, queue: 'x' } });
  expect(again.status()).toBe(409);
  expect((await again.json()).error.message).toBe(`A team named "${name}" already exists`);

  const both = await request.post('/api/v1/teams', { headers: admin, data: { name: unique('x'), queue: 'q', exchange: 'e', routingKey: 'k' } });
  expect(both.status()).toBe(400);
  const unknown = await request.post('/api/v1/teams', { headers: admin, data: { name: unique('x'), queue: 'q', owner: 'me' } });
  expect((await unknown.json()).error.message).toBe('Unknown field "owner"');
  const long = await request.post('/api/v1/teams', { headers: admin, data: { name: unique('x'), queue: 'q'.repeat(256) } });
  expect((await long.json()).error.message).toBe('"queue": queue name is longer than 255 bytes');

  const forbidden = await request.post('/api/v1/teams', { headers: viewer, data: { name: unique('x'), queue: 'q' } });
  expect(forbidden.status()).toBe(403);

  const patched = await request.patch(`/api/v1/teams/${team.id}`, { headers: admin, data: { exchange: 'api', routingKey: 'fixes', contact: 'ops' } });
  expect(patched.status()).toBe(200);
  expect((await patched.json()).team).toMatchObject({ queue: null, exchange: 'api', routingKey: 'fixes', contact: 'ops' });
  expect((await request.patch('/api/v1/teams/00000000-0000-4000-8000-000000000000', { headers: admin, data: { contact: 'x' } })).status()).toBe(404);
  expect((await request.patch('/api/v1/teams/not-an-id', { headers: admin, data: { contact: 'x' } })).status()).toBe(404);

  expect((await request.delete(`/api/v1/teams/${team.id}`, { headers: viewer })).status()).toBe(403);
  expect((await request.delete(`/api/v1/teams/${team.id}`, { headers: admin })).status()).toBe(200);
  expect((await request.delete(`/api/v1/teams/${team.id}`, { headers: admin })).status()).toBe(404);
});

test('sandboxes: operators list without passwords, viewers cannot, only admins change', async ({ request }) => {
  const admin = bearer((await createToken('admin')).token);
  const operator = bearer((await createToken('operator')).token);
  const viewer = bearer((await createToken('viewer')).token);
  const name = unique('api-sandbox');

  const created = await request.post('/api/v1/sandboxes', { headers: admin, data: { name, url: 'amqp://u:pa55word@sandbox.example.com/%2F' } });
  expect(created.status()).toBe(201);
  const { sandbox } = await created.json();
  expect(sandbox.url).toBe('amqp://u:***@sandbox.example.com/%2F');

  const listed = await request.get('/api/v1/sandboxes', { headers: operator });
  expect(listed.status()).toBe(200);
  const text = await listed.text();
  expect(text).toContain(name);
  expect(text).not.toContain('pa55word');
  expect((await request.get('/api/v1/sandboxes', { headers: viewer })).status()).toBe(403);
  expect((await request.post('/api/v1/sandboxes', { headers: operator, data: { name: unique('x'), url: 'amqp://h' } })).status()).toBe(403);
  expect((await request.post('/api/v1/sandboxes', { headers: admin, data: { name: unique('x'), url: 'ftp://h' } })).status()).toBe(400);
  expect((await request.delete(`/api/v1/sandboxes/${sandbox.id}`, { headers: operator })).status()).toBe(403);
  expect((await request.delete(`/api/v1/sandboxes/${sandbox.id}`, { headers: admin })).status()).toBe(200);
});

test('contracts: PUT sets, GET lists for everyone, DELETE ?origin removes; a bad schema is a 400', async ({ request }) => {
  const admin = bearer((await createToken('admin')).token);
  const viewer = bearer((await createToken('viewer')).token);
  const origin = unique('api-orders');
  const schema = { type: 'object', required: ['id'] };

  const bad = await request.put('/api/v1/contracts', { headers: admin, data: { origin, schema: { type: 'objekt' } } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/^The JSON Schema is not valid: /);
  expect((await request.put('/api/v1/contracts', { headers: viewer, data: { origin, schema } })).status()).toBe(403);

  const set = await request.put('/api/v1/contracts', { headers: admin, data: { origin, schema } });
  expect(set.status()).toBe(200);
  expect((await set.json()).contract).toMatchObject({ origin, schema });
  const listed = await request.get('/api/v1/contracts', { headers: viewer });
  expect((await listed.json()).items).toContainEqual(expect.objectContaining({ origin, schema }));

  expect((await request.delete('/api/v1/contracts', { headers: admin })).status()).toBe(400);
  expect((await request.delete(`/api/v1/contracts?origin=${origin}`, { headers: viewer })).status()).toBe(403);
  expect((await request.delete(`/api/v1/contracts?origin=${origin}`, { headers: admin })).status()).toBe(200);
  expect((await request.delete(`/api/v1/contracts?origin=${origin}`, { headers: admin })).status()).toBe(404);
});
