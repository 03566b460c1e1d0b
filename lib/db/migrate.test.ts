import { mkdtemp, mkdir, writeFile, cp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/test-database';
import { MIGRATIONS_DIR, migrate, pendingMigrations } from './migrate';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('migrate'); });
afterAll(async () => db?.drop());

async function copyOfMigrations() {
  const dir = await mkdtemp(path.join(tmpdir(), 'dlq-migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

it('records applied migrations in Prisma\'s table and applies nothing twice', async () => {
  expect(await pendingMigrations(db.url)).toEqual([]);
  expect((await migrate({ databaseUrl: db.url })).applied).toEqual([]);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query('SELECT migration_name, checksum, finished_at FROM _prisma_migrations');
  await client.end();
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  expect(rows.map((r) => r.migration_name).sort()).toEqual(names);
  for (const row of rows) expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
});

it('applies a new migration once, even when two replicas start at the same time', async () => {
  const dir = await copyOfMigrations();
  await mkdir(path.join(dir, '29990101000000_add_note'));
  await writeFile(path.join(dir, '29990101000000_add_note', 'migration.sql'), 'ALTER TABLE sources ADD COLUMN note TEXT;');
  expect(await pendingMigrations(db.url, dir)).toEqual(['29990101000000_add_note']);
  const results = await Promise.all([migrate({ databaseUrl: db.url, dir }), migrate({ databaseUrl: db.url, dir })]);
  expect(results.flatMap((r) => r.applied)).toEqual(['29990101000000_add_note']);
});

it('refuses a migration that was edited after it was applied', async () => {
  const dir = await copyOfMigrations();
  await mkdir(path.join(dir, '29990101000000_add_note'), { recursive: true });
  await writeFile(path.join(dir, '29990101000000_add_note', 'migration.sql'), 'ALTER TABLE sources ADD COLUMN note2 TEXT;');
  await expect(migrate({ databaseUrl: db.url, dir })).rejects.toThrow(/changed after it was applied/);
});

it('rolls back a failing migration and leaves nothing recorded', async () => {
  const dir = await copyOfMigrations();
  await mkdir(path.join(dir, '29990101000000_add_note'), { recursive: true });
  await writeFile(path.join(dir, '29990101000000_add_note', 'migration.sql'), 'ALTER TABLE sources ADD COLUMN note TEXT;');
  await mkdir(path.join(dir, '29990102000000_broken'));
  await writeFile(path.join(dir, '29990102000000_broken', 'migration.sql'), 'ALTER TABLE sources ADD COLUMN x TEXT; SELECT * FROM no_such_table;');
  await expect(migrate({ databaseUrl: db.url, dir })).rejects.toThrow(/29990102000000_broken failed: .*no_such_table/);
  expect(await pendingMigrations(db.url, dir)).toEqual(['29990102000000_broken']);
});
