import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { prisma } from '../db/prisma';

// The migrations in prisma/migrations that the database has not applied, for readiness.
// lib/db/migrate.ts finds its folder beside its own source file, which a Next.js bundle
// does not have: the web server reads the folder under its working directory instead
// (`npm start` runs in the checkout; the Docker image copies prisma/migrations there).

export async function findPendingMigrations(dir = path.join(process.cwd(), 'prisma', 'migrations')): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const wanted = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const [table] = await prisma().$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`;
  if (!table?.exists) return wanted;
  const applied = new Set((await prisma().$queryRaw<{ name: string }[]>`
    SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).map((r) => r.name));
  return wanted.filter((name) => !applied.has(name));
}
