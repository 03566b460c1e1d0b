import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { createSandbox } from './create-sandbox';
import { deleteSandbox } from './delete-sandbox';
import { listSandboxes } from './list-sandboxes';
import type { TSandboxInput } from './sandbox-dto';

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };
const OPERATOR: TActor = { kind: 'user', id: 'o', email: 'op@example.com', role: 'operator' };
const VIEWER: TActor = { kind: 'user', id: 'v', email: 'viewer@example.com', role: 'viewer' };
const SECRET = 's3cr3t-pw';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('sandboxes'); });
afterAll(async () => db?.drop());

const counts = async () => ({ sandboxes: await prisma().sandbox.count(), audit: await prisma().auditEvent.count() });

it('stores the URL as given, and never shows or audits its password', async () => {
  const created = await createSandbox({ actor: ADMIN, name: 'staging', url: `amqps://replayer:${SECRET}@staging.example.com:5671/%2Fpayments` });
  expect(created).toMatchObject({ name: 'staging', url: 'amqps://replayer:***@staging.example.com:5671/%2Fpayments' });
  await createSandbox({ actor: ADMIN, name: 'local', url: 'amqp://localhost' });

  const row = await prisma().sandbox.findUniqueOrThrow({ where: { name: 'staging' }, omit: { url: false } });
  expect(row.url).toBe(`amqps://replayer:${SECRET}@staging.example.com:5671/%2Fpayments`);
  for (const actor of [ADMIN, OPERATOR]) {
    const listed = await listSandboxes({ actor });
    expect(listed.map((s) => s.name)).toEqual(['local', 'staging']);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
  }
  const events = await prisma().auditEvent.findMany({ where: { action: 'sandbox.created' }, orderBy: { id: 'asc' } });
  expect(events.map((e) => [e.actor, e.subject, e.after])).toEqual([
    ['user:admin@example.com', 'sandbox:staging', { name: 'staging', url: 'amqps://replayer:***@staging.example.com:5671/%2Fpayments' }],
    ['user:admin@example.com', 'sandbox:local', { name: 'local', url: 'amqp://localhost' }],
  ]);
  expect(JSON.stringify(await prisma().$queryRaw`SELECT subject, before::text, after::text FROM audit_events`)).not.toContain(SECRET);
});

it.each([
  ['an http URL', { name: 'x', url: 'http://broker.example.com' }, /must start with amqp:\/\/ or amqps:\/\/, not http:\/\//],
  ['something that is not a URL', { name: 'x', url: 'broker:5672' }, /must start with amqp/],
  ['a relative path', { name: 'x', url: '/vhost' }, /not a valid URL/],
  ['a URL without a host', { name: 'x', url: 'amqp://' }, /not a valid URL|names no host/],
  ['a URL over 2000 characters', { name: 'x', url: `amqp://host/${'v'.repeat(2000)}` }, /longer than 2000 characters/],
  ['a newline in the URL', { name: 'x', url: 'amqp://host/\nvhost' }, /url contains control characters/],
  ['an empty name', { name: '', url: 'amqp://host' }, /name is empty/],
  ['no URL', { name: 'x' }, /url is required/],
])('refuses %s and changes nothing', async (_, input, message) => {
  const before = await counts();
  await expect(createSandbox({ ...(input as unknown as TSandboxInput), actor: ADMIN })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
  expect(await counts()).toEqual(before);
});

it('answers CONFLICT naming the sandbox to a second one with the same name', async () => {
  await createSandbox({ actor: ADMIN, name: 'dup', url: 'amqp://a' });
  const before = await counts();
  await expect(createSandbox({ actor: ADMIN, name: 'dup', url: 'amqp://b' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'A sandbox named "dup" already exists' });
  expect(await counts()).toEqual(before);
});

it('lets operators list but not manage; viewers neither', async () => {
  const before = await counts();
  await expect(createSandbox({ actor: OPERATOR, name: 'op', url: 'amqp://a' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  await expect(createSandbox({ actor: VIEWER, name: 'viewer', url: 'amqp://a' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  await expect(listSandboxes({ actor: VIEWER })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('messages:replay or sandboxes:manage') });
  const { id } = await prisma().sandbox.findUniqueOrThrow({ where: { name: 'dup' } });
  await expect(deleteSandbox({ actor: OPERATOR, sandbox: { id } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(await counts()).toEqual(before);
});

it('deletes by id or name with an audit event, and answers NOT_FOUND for one that is gone', async () => {
  const a = await createSandbox({ actor: ADMIN, name: 'gone-a', url: `amqp://u:${SECRET}@a` });
  await createSandbox({ actor: ADMIN, name: 'gone-b', url: 'amqp://b' });
  await expect(deleteSandbox({ actor: ADMIN, sandbox: { id: a.id } })).resolves.toMatchObject({ name: 'gone-a', url: 'amqp://u:***@a' });
  await expect(deleteSandbox({ actor: ADMIN, sandbox: { name: 'gone-b' } })).resolves.toMatchObject({ name: 'gone-b' });
  await expect(deleteSandbox({ actor: ADMIN, sandbox: { id: a.id } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(deleteSandbox({ actor: ADMIN, sandbox: { id: 'nope' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  const events = await prisma().auditEvent.findMany({ where: { action: 'sandbox.deleted' }, orderBy: { id: 'asc' } });
  expect(events.map((e) => [e.subject, e.before])).toEqual([
    ['sandbox:gone-a', { name: 'gone-a', url: 'amqp://u:***@a' }],
    ['sandbox:gone-b', { name: 'gone-b', url: 'amqp://b' }],
  ]);
});

it('writes the sandbox and its audit event in one transaction', async () => {
  await prisma().$executeRawUnsafe(`
    CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit insert refused by the test'; END $$`);
  await prisma().$executeRawUnsafe('CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()');
  try {
    await expect(createSandbox({ actor: ADMIN, name: 'unaudited', url: 'amqp://a' })).rejects.toThrow(/audit insert refused/);
    const { id } = await prisma().sandbox.findUniqueOrThrow({ where: { name: 'dup' } });
    await expect(deleteSandbox({ actor: ADMIN, sandbox: { id } })).rejects.toThrow(/audit insert refused/);
  } finally {
    await prisma().$executeRawUnsafe('DROP TRIGGER fail_audit ON audit_events');
  }
  expect(await prisma().sandbox.findUnique({ where: { name: 'unaudited' } })).toBeNull();
  expect(await prisma().sandbox.findUnique({ where: { name: 'dup' } })).not.toBeNull();
});
