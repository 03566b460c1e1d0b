import { afterAll, beforeAll, expect, it } from 'vitest';
import { prisma } from './prisma';
import { createTestDatabase } from '../testing/test-database';
import { vacuumProblems } from './vacuum-health';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('vacuum_health'); });
afterAll(async () => { await db?.drop(); });

it('says when the server runs no autovacuum, as SHOW does, and names each hot table where it is turned off', async () => {
  const [{ autovacuum }] = await prisma().$queryRaw<{ autovacuum: string }[]>`SELECT current_setting('autovacuum') AS autovacuum` as [{ autovacuum: string }];
  const server = autovacuum === 'off' ? ['autovacuum is off on this PostgreSQL server (autovacuum = off)'] : [];
  expect(await vacuumProblems()).toEqual(server);

  await prisma().$executeRawUnsafe('ALTER TABLE dispatches SET (autovacuum_enabled = false)');
  await prisma().$executeRawUnsafe('ALTER TABLE messages SET (autovacuum_enabled = false, fillfactor = 90)');
  await prisma().$executeRawUnsafe('ALTER TABLE teams SET (autovacuum_enabled = false)'); // not a hot table
  expect(await vacuumProblems()).toEqual([...server, 'autovacuum is turned off on dispatches, messages (autovacuum_enabled = false)']);
});
