import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { runCli, type TCliRun } from '../testing/run-cli';
import { createTestDatabase } from '../testing/test-database';

// `teams`, `sandboxes` and `contracts` through the real CLI: bad arguments exit 2 and change
// nothing; refusals from the domain exit 1 with its message.


let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase('cli_admin');
  dir = mkdtempSync(path.join(tmpdir(), 'dlq-cli-'));
});
afterAll(async () => db?.drop());

// A test here runs the CLI up to six times; each run starts tsx, which takes seconds on a busy machine.
const SLOW = { timeout: 240_000 };

function cli(args: string[], stdin?: string): Promise<TCliRun> {
  return runCli(db.url, args, { stdin });
}

const counts = async () => ({
  teams: await prisma().team.count(), sandboxes: await prisma().sandbox.count(),
  contracts: await prisma().contract.count(), audit: await prisma().auditEvent.count(),
});

describe('cli teams', SLOW, () => {
  it('adds, lists and removes teams', async () => {
    const queue = await cli(['teams', 'add', 'orders', '--queue', 'orders.fixes', '--contact', '#orders']);
    expect(queue.code, queue.stderr).toBe(0);
    expect(queue.stdout).toMatch(/Added team orders: queue orders\.fixes/);
    const exchange = await cli(['teams', 'add', 'billing', '--exchange', 'billing', '--routing-key', 'invoices.dead']);
    expect(exchange.code, exchange.stderr).toBe(0);

    const list = await cli(['teams', 'list']);
    expect(list.stdout).toMatch(/NAME\s+DESTINATION\s+CONTACT\s+UPDATED/);
    expect(list.stdout).toMatch(/billing\s+exchange billing \/ key invoices\.dead\s+-\s+\d{4}-/);
    expect(list.stdout).toMatch(/orders\s+queue orders\.fixes\s+#orders/);

    const again = await cli(['teams', 'add', 'orders', '--queue', 'other']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: A team named "orders" already exists/m);

    const removed = await cli(['teams', 'remove', 'billing']);
    expect(removed.code, removed.stderr).toBe(0);
    const gone = await cli(['teams', 'remove', 'billing']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/No team named "billing"/);
    expect((await prisma().team.findMany()).map((t) => t.name)).toEqual(['orders']);
  });

  it.each([
    [['teams', 'add', 'x'], /give --queue, or --exchange with --routing-key/],
    [['teams', 'add', 'x', '--queue', 'q', '--exchange', 'e'], /not both/],
    [['teams', 'add', 'x', '--exchange', 'e'], /--exchange needs --routing-key/],
    [['teams', 'add', 'x', '--routing-key', 'k'], /--routing-key goes with --exchange/],
    [['teams', 'add', '--queue', 'q'], /missing <name>/],
    [['teams', 'add', 'x', 'y', '--queue', 'q'], /unexpected argument "y"/],
    [['teams', 'rename', 'x'], /"teams" takes one of: add, remove, list/],
  ])('refuses %j with exit 2 and changes nothing', async (args, message) => {
    const before = await counts();
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it('refuses an invalid queue name with exit 1 and the domain\'s reason', async () => {
    const before = await counts();
    const run = await cli(['teams', 'add', 'x', '--queue', 'q'.repeat(256)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/queue name is longer than 255 bytes/);
    expect(await counts()).toEqual(before);
  });
});

describe('cli sandboxes', SLOW, () => {
  it('reads the URL from standard input with "-", and never prints the password', async () => {
    const added = await cli(['sandboxes', 'add', 'staging', '-'], 'amqp://replayer:hunter2hunter2@staging.example.com/%2F\n');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('Added sandbox staging: amqp://replayer:***@staging.example.com/%2F\n');
    const row = await prisma().sandbox.findUniqueOrThrow({ where: { name: 'staging' }, omit: { url: false } });
    expect(row.url).toBe('amqp://replayer:hunter2hunter2@staging.example.com/%2F');
    const list = await cli(['sandboxes', 'list']);
    expect(list.stdout).toMatch(/staging\s+amqp:\/\/replayer:\*\*\*@staging\.example\.com\/%2F/);
    expect(list.stdout).not.toContain('hunter2');

    const bad = await cli(['sandboxes', 'add', 'web', 'https://example.com']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/must start with amqp:\/\/ or amqps:\/\//);
    const missing = await cli(['sandboxes', 'add', 'web']);
    expect(missing.code).toBe(2);

    expect((await cli(['sandboxes', 'remove', 'staging'])).code).toBe(0);
    expect(await prisma().sandbox.count()).toBe(0);
  });
});

describe('cli contracts', SLOW, () => {
  it('sets a contract from a file, lists and removes it', async () => {
    const file = path.join(dir, 'orders.schema.json');
    writeFileSync(file, JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', required: ['id'] }));
    const set = await cli(['contracts', 'set', 'orders', file]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/Set the contract of orders/);
    const list = await cli(['contracts', 'list']);
    expect(list.stdout).toMatch(/orders\s+https:\/\/json-schema\.org\/draft\/2020-12\/schema\s+\d{4}-\S+\s+system:cli/);
    expect((await cli(['contracts', 'remove', 'orders'])).code).toBe(0);
    const again = await cli(['contracts', 'remove', 'orders']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/No contract for "orders"/);
  });

  it('refuses a missing file, a file that is not JSON and a schema that does not compile, changing nothing', async () => {
    const before = await counts();
    const missing = await cli(['contracts', 'set', 'orders', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: ENOENT/);

    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '{ type: object }');
    const badJson = await cli(['contracts', 'set', 'orders', notJson]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/not\.json is not JSON/);

    const list = path.join(dir, 'list.json');
    writeFileSync(list, '[]');
    expect((await cli(['contracts', 'set', 'orders', list])).stderr).toMatch(/must hold a JSON Schema object/);

    const invalid = path.join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ type: 'objekt' }));
    const compile = await cli(['contracts', 'set', 'orders', invalid]);
    expect(compile.code).toBe(1);
    expect(compile.stderr).toMatch(/^error: The JSON Schema is not valid: /m);
    expect(await counts()).toEqual(before);
  });
});
