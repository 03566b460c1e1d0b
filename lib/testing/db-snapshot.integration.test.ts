import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots, openDbSnapshots, snapshotDatabase } from './db-snapshot';
import { createTestDatabase } from './test-database';

// The hostile-input suites' "changed nothing" rests on this comparison: it must see an
// added row, an edited value and an audit event, and nothing when nothing happened.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase('snapshot');
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await db.drop();
});

describe('snapshotDatabase', () => {
  it('sees nothing when nothing changed, and names the table that did', async () => {
    const before = await snapshotDatabase(db.url);
    expect(before.has('audit_events')).toBe(true);
    expect(diffSnapshots(before, await snapshotDatabase(db.url))).toEqual([]);

    await sql.query("INSERT INTO teams (id, name, queue) VALUES (gen_random_uuid(), 'snap', 'snap.inbox')");
    const added = await snapshotDatabase(db.url);
    expect(diffSnapshots(before, added)).toEqual(['teams: 0 → 1 rows']);

    await sql.query("UPDATE teams SET queue = 'snap.other' WHERE name = 'snap'");
    expect(diffSnapshots(added, await snapshotDatabase(db.url))).toEqual(['teams: content changed']);
  });

  it('leaves out the columns and tables it is told to', async () => {
    await sql.query("INSERT INTO api_tokens (id, name, token_hash, prefix, role) VALUES (gen_random_uuid(), 'snap', 'hash-snap', 'dlq_', 'viewer')");
    const options = { ignoreColumns: { api_tokens: ['last_used_at'] }, ignore: ['login_throttle'] };
    const before = await snapshotDatabase(db.url, options);
    await sql.query("UPDATE api_tokens SET last_used_at = now() WHERE name = 'snap'");
    await sql.query("INSERT INTO login_throttle (key, window_start, failures) VALUES ('email:snap', now(), 1)");
    expect(diffSnapshots(before, await snapshotDatabase(db.url, options))).toEqual([]);
    await sql.query("UPDATE api_tokens SET role = 'admin' WHERE name = 'snap'");
    expect(diffSnapshots(before, await snapshotDatabase(db.url, options))).toEqual(['api_tokens: content changed']);
  });
});

describe('openDbSnapshots', () => {
  it('takes repeated snapshots on one connection, cheaply', async () => {
    const snapshots = await openDbSnapshots(db.url);
    try {
      const before = await snapshots.take();
      const started = performance.now();
      for (let i = 0; i < 5; i++) expect(diffSnapshots(before, await snapshots.take())).toEqual([]);
      expect((performance.now() - started) / 5).toBeLessThan(500);
      await sql.query("INSERT INTO teams (id, name, queue) VALUES (gen_random_uuid(), 'snap-2', 'snap.inbox')");
      expect(diffSnapshots(before, await snapshots.take())).toEqual([expect.stringMatching(/^teams: \d+ → \d+ rows$/)]);
    } finally {
      await snapshots.close();
    }
  });
});
