import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../lib/testing/test-database';
import { prepareSeedDatabase, seedKey, SEED_PREFIX } from './seed-database';

// The seeded database of the latency measures: a throwaway one, or a fixture kept between
// runs and copied. Each test keeps its fixtures under a prefix of its own and drops them.

const prefix = `dlq_seedfixture_${randomBytes(4).toString('hex')}_`;
const STORED = 240;
const log = () => {};

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
const admin = <T>(work: (client: pg.Client) => Promise<T>) => withClient(testDatabaseUrl('postgres'), work);

const databases = (like: string) => admin(async (c) => (await c.query<{ datname: string }>(
  `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname`, [like])).rows.map((r) => r.datname));

const messageCount = (url: string) => withClient(url, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM messages')).rows[0]!.n));

/** Databases a test made outside its prefix. */
const created: string[] = [];

/** prepareSeedDatabase under this file's prefix; its copy is dropped after the file, even when a test fails before its drop(). */
async function prepare(options: { keep: boolean; fresh: boolean }) {
  const db = await prepareSeedDatabase({ stored: STORED, log, fixturePrefix: prefix, ...options });
  created.push(new URL(db.url).pathname.slice(1));
  return db;
}

afterAll(async () => {
  for (const name of [...created, ...await databases(prefix)]) await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});

describe('seedKey', () => {
  it('is the same for the same size and changes with it', async () => {
    expect(await seedKey(STORED)).toBe(await seedKey(STORED));
    expect(await seedKey(STORED)).not.toBe(await seedKey(STORED + 1));
    expect(await seedKey(STORED)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('prepareSeedDatabase', () => {
  it('seeds a throwaway database when nothing is kept, and drop() removes it; a copy a killed run left long ago goes', async () => {
    const leftover = `dlq_benchrun_1000000000_${randomBytes(4).toString('hex')}`;
    const recent = `dlq_benchrun_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`; // another run's, under way
    created.push(leftover, recent);
    await admin(async (c) => {
      await c.query(`CREATE DATABASE "${leftover}"`);
      await c.query(`CREATE DATABASE "${recent}"`);
    });
    const db = await prepare({ keep: false, fresh: false });
    const name = new URL(db.url).pathname.slice(1);
    expect(db.source).toBe('seeded');
    expect(await messageCount(db.url)).toBe(STORED);
    expect(db.seeded.names.sources.every((s) => s.startsWith(`${SEED_PREFIX}.`))).toBe(true);
    // Counted as a running worker would have counted it: its inflow counter has nothing to walk.
    expect(await withClient(db.url, async (c) => (await c.query<{ n: string; counted: boolean }>(`
      SELECT (SELECT sum(count) FROM inflow_counts)::text AS n,
        (SELECT counted_from <= (SELECT min(ingested_at) FROM messages) FROM inflow_counter_state) AS counted`)).rows[0])).toEqual({ n: String(STORED), counted: true });
    expect(await databases(prefix)).toEqual([]); // no fixture left behind
    expect(await databases(leftover)).toEqual([]);
    expect(await databases(recent)).toEqual([recent]);
    await db.drop();
    expect(await databases(name)).toEqual([]);
  });

  it('keeps a fixture, measures on copies of it, and seeds again only when asked', async () => {
    const fixture = `${prefix}${STORED}_${await seedKey(STORED)}`;
    const otherSize = `${prefix}${STORED + 1}_ffffffffffffffff`;
    // What a killed run left (a build from long ago) and a fixture of this size from other
    // code are dropped when a fixture is built; a fixture of another size stays.
    await admin(async (c) => {
      await c.query(`CREATE DATABASE "${prefix}${STORED}_0000000000000000_b1000000000"`);
      await c.query(`CREATE DATABASE "${prefix}${STORED}_ffffffffffffffff"`);
      await c.query(`CREATE DATABASE "${otherSize}"`);
    });

    const first = await prepare({ keep: true, fresh: false });
    expect(first.source).toBe('seeded');
    expect(await databases(prefix)).toEqual([fixture, otherSize]);
    expect(await messageCount(first.url)).toBe(STORED);

    // A run writes to its copy (a paced replay leaves jobs and audit events); the fixture and the next copy do not see it.
    await withClient(first.url, (c) => c.query(`DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT 10)`));
    expect(await messageCount(first.url)).toBe(STORED - 10);

    const second = await prepare({ keep: true, fresh: false });
    expect(second.source).toBe('fixture');
    expect(second.url).not.toBe(first.url);
    expect(second.seeded).toEqual(first.seeded);
    expect(await messageCount(second.url)).toBe(STORED);

    const fresh = await prepare({ keep: true, fresh: true });
    expect(fresh.source).toBe('seeded');
    expect(await messageCount(fresh.url)).toBe(STORED);
    expect(await databases(prefix)).toEqual([fixture, otherSize]);

    for (const db of [first, second, fresh]) await db.drop();
    expect(await databases(prefix)).toEqual([fixture, otherSize]); // the fixture stays for later runs
  });
});
