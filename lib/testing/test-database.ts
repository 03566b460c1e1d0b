import { randomBytes } from 'node:crypto';
import { createDatabaseIfMissing, dropDatabase, migrate } from '../db/migrate';
import { disconnectPrisma } from '../db/prisma';

// A throwaway, migrated database per test file. It becomes the database of prisma()
// for that file (vitest runs each file in its own module registry).

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function testDatabaseUrl(name: string) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createTestDatabase(label = 'test') {
  const name = `dlq_${label}_${randomBytes(5).toString('hex')}`;
  const url = testDatabaseUrl(name);
  await createDatabaseIfMissing(url);
  await migrate({ databaseUrl: url });
  process.env.DATABASE_URL = url;
  return {
    name,
    url,
    async drop() {
      await disconnectPrisma();
      await dropDatabase(url);
    },
  };
}
