import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { assertContract, checkContract } from './check-contract';
import { compileContractSchema } from './compile-contract-schema';
import { listContracts } from './list-contracts';
import { removeContract } from './remove-contract';
import { setContract } from './set-contract';
import type { TContractInput } from './contract-dto';

vi.mock('./compile-contract-schema', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./compile-contract-schema')>();
  return { ...actual, compileContractSchema: vi.fn(actual.compileContractSchema) };
});

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };
const OPERATOR: TActor = { kind: 'user', id: 'o', email: 'op@example.com', role: 'operator' };
const VIEWER: TActor = { kind: 'user', id: 'v', email: 'viewer@example.com', role: 'viewer' };

const ORDER_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['customer', 'total'],
  properties: {
    customer: {
      type: 'object',
      required: ['id', 'email'],
      properties: { id: { type: 'string' }, email: { type: 'string' } },
      additionalProperties: false,
    },
    total: { type: 'number', minimum: 0 },
  },
};

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const counts = async () => ({ contracts: await prisma().contract.count(), audit: await prisma().auditEvent.count() });

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase('contracts');
  await setContract({ actor: ADMIN, origin: 'orders', schema: ORDER_SCHEMA });
});
afterAll(async () => db?.drop());

describe('assertContract', () => {
  it('passes a body that keeps the contract', async () => {
    await expect(assertContract({ originQueue: 'orders', body: json({ customer: { id: 'c-1', email: 'a@example.com' }, total: 12.5 }) })).resolves.toBeUndefined();
  });

  it('refuses a renamed field, naming the old name as missing and the new one as unexpected', async () => {
    const body = json({ customer: { customerId: 'c-1', email: 'a@example.com' }, total: 12.5 });
    const error = await assertContract({ originQueue: 'orders', body }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      message: "The body breaks the contract of orders: /customer/id must have required property 'id'; /customer/customerId must NOT have additional properties",
      details: {
        contract: 'orders',
        violations: [
          { path: '/customer/id', message: "must have required property 'id'" },
          { path: '/customer/customerId', message: 'must NOT have additional properties' },
        ],
      },
    });
  });

  it('lists every violation, field by field, and shortens the message after three', async () => {
    const error = await assertContract({ originQueue: 'orders', body: json({ customer: { id: 7, extra: true }, total: -1 }) }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      // In the order the stored schema lists them (jsonb keeps keys shortest first).
      message: "The body breaks the contract of orders: /total must be >= 0; /customer/email must have required property 'email'; /customer/extra must NOT have additional properties (and 1 more)",
      details: { violations: expect.arrayContaining([{ path: '/customer/id', message: 'must be string' }]) },
    });
    expect((error as { details: { violations: unknown[] } }).details.violations).toHaveLength(4);
  });

  it('refuses a body that is not JSON, or not UTF-8', async () => {
    await expect(assertContract({ originQueue: 'orders', body: new TextEncoder().encode('customer=c-1') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^The body breaks the contract of orders: body is not JSON: /),
      details: { contract: 'orders', violations: [{ path: '', message: expect.stringMatching(/^body is not JSON: /) }] },
    });
    await expect(assertContract({ originQueue: 'orders', body: Uint8Array.from([0x7b, 0xff, 0x7d]) })).rejects.toMatchObject({
      details: { violations: [{ path: '', message: 'body is not JSON: it is not valid UTF-8' }] },
    });
  });

  it('checks nothing without an origin or without a contract', async () => {
    await expect(assertContract({ originQueue: null, body: new TextEncoder().encode('not json') })).resolves.toBeUndefined();
    await expect(assertContract({ originQueue: 'payments', body: new TextEncoder().encode('not json') })).resolves.toBeUndefined();
    await expect(checkContract({ originQueue: 'payments', body: json({}) })).resolves.toBeNull();
  });

  it('compiles a contract once, and again only after it changes', async () => {
    await setContract({ actor: ADMIN, origin: 'cache.test', schema: { type: 'object', required: ['a'] } });
    const compile = vi.mocked(compileContractSchema);
    compile.mockClear();
    for (let i = 0; i < 5; i++) await expect(assertContract({ originQueue: 'cache.test', body: json({ a: 1 }) })).resolves.toBeUndefined();
    expect(compile).toHaveBeenCalledTimes(1);

    // A new version applies at the next check, even within the same millisecond.
    await setContract({ actor: ADMIN, origin: 'cache.test', schema: { type: 'object', required: ['b'] } });
    await setContract({ actor: ADMIN, origin: 'cache.test', schema: { type: 'object', required: ['c'] } });
    compile.mockClear();
    await expect(assertContract({ originQueue: 'cache.test', body: json({ a: 1 }) })).rejects.toMatchObject({ details: { violations: [{ path: '/c' }] } });
    await expect(assertContract({ originQueue: 'cache.test', body: json({ c: 1 }) })).resolves.toBeUndefined();
    expect(compile).toHaveBeenCalledTimes(1);

    await removeContract({ actor: ADMIN, origin: 'cache.test' });
    await expect(assertContract({ originQueue: 'cache.test', body: json({ a: 1 }) })).resolves.toBeUndefined();
  });
});

describe('setContract, removeContract, listContracts', () => {
  it('sets, replaces and removes a contract, recording the schema before and after', async () => {
    const v1 = { type: 'object', required: ['sku'] };
    const v2 = { type: 'object', required: ['sku', 'qty'] };
    const first = await setContract({ actor: ADMIN, origin: ' inventory ', schema: v1 });
    expect(first).toMatchObject({ origin: 'inventory', schema: v1, updatedBy: 'user:admin@example.com' });
    const second = await setContract({ actor: ADMIN, origin: 'inventory', schema: v2 });
    expect(Date.parse(second.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt));
    expect((await listContracts({ actor: VIEWER })).find((c) => c.origin === 'inventory')).toMatchObject({ schema: v2 });
    await expect(removeContract({ actor: ADMIN, origin: 'inventory' })).resolves.toMatchObject({ schema: v2 });
    await expect(removeContract({ actor: ADMIN, origin: 'inventory' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No contract for "inventory"' });
    expect((await listContracts({ actor: VIEWER })).map((c) => c.origin)).not.toContain('inventory');

    const events = await prisma().auditEvent.findMany({ where: { subject: 'contract:inventory' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.actor, e.action, e.before, e.after])).toEqual([
      ['user:admin@example.com', 'contract.set', null, v1],
      ['user:admin@example.com', 'contract.set', v1, v2],
      ['user:admin@example.com', 'contract.removed', v2, null],
    ]);
  });

  it.each([
    ['a schema that does not compile', { origin: 'orders', schema: { type: 'objekt' } }, /^The JSON Schema is not valid: .*data\/type must be equal to one of the allowed values/],
    ['a schema that is not an object', { origin: 'orders', schema: [{ type: 'object' }] }, /schema must be a JSON Schema object/],
    ['an origin that is not a queue name', { origin: 'q'.repeat(256), schema: { type: 'object' } }, /queue name is longer than 255 bytes/],
    ['a schema over 256 KiB', { origin: 'orders', schema: { description: 'd'.repeat(256 * 1024) } }, /schema is larger than 256 KiB/],
  ])('refuses %s and changes nothing', async (_, input, message) => {
    const before = await counts();
    await expect(setContract({ ...(input as unknown as TContractInput), actor: ADMIN })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    expect(await counts()).toEqual(before);
    expect((await listContracts({ actor: ADMIN })).find((c) => c.origin === 'orders')).toMatchObject({ schema: ORDER_SCHEMA });
  });

  it('lets only admins set or remove; everyone who reads messages can list', async () => {
    const before = await counts();
    for (const actor of [VIEWER, OPERATOR]) {
      await expect(setContract({ actor, origin: 'orders', schema: { type: 'object' } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('contracts:manage') });
      await expect(removeContract({ actor, origin: 'orders' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(listContracts({ actor })).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ origin: 'orders' })]));
    }
    expect(await counts()).toEqual(before);
  });

  it('keeps the old schema when the audit insert fails', async () => {
    await prisma().$executeRawUnsafe(`
      CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit insert refused by the test'; END $$`);
    await prisma().$executeRawUnsafe('CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()');
    try {
      await expect(setContract({ actor: ADMIN, origin: 'orders', schema: { type: 'string' } })).rejects.toThrow(/audit insert refused/);
      await expect(setContract({ actor: ADMIN, origin: 'new.origin', schema: { type: 'string' } })).rejects.toThrow(/audit insert refused/);
      await expect(removeContract({ actor: ADMIN, origin: 'orders' })).rejects.toThrow(/audit insert refused/);
    } finally {
      await prisma().$executeRawUnsafe('DROP TRIGGER fail_audit ON audit_events');
    }
    const contracts = await listContracts({ actor: ADMIN });
    expect(contracts.find((c) => c.origin === 'orders')).toMatchObject({ schema: ORDER_SCHEMA });
    expect(contracts.map((c) => c.origin)).not.toContain('new.origin');
  });
});
