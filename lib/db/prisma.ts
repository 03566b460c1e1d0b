import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';
import { env } from '../env';

// The one Prisma client, on one pg pool. Secrets and bodies are omitted unless a query
// asks for them, so a list or a log line cannot leak them by accident. The pool itself
// is exposed for the ingest hot path only (docs/decisions/0002-ingest-and-dedupe.md).
const omit = {
  user: { passwordHash: true },
  apiToken: { tokenHash: true },
  message: { body: true },
  messageRevision: { body: true },
  sandbox: { url: true }, // may carry broker credentials
} as const;

export function createPrisma(connectionString: string) {
  const pool = new pg.Pool({ connectionString, max: 10, allowExitOnIdle: true });
  // A client whose server went away must not crash the process: pg-pool handles an idle
  // one (the pool's 'error'), but takes its listener off a checked-out one, and a session
  // terminated between two queries of a transaction would be an uncaught 'error'. The
  // next query on it fails instead, and the caller's retry takes a fresh client.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const client = new PrismaClient({ adapter: new PrismaPg(pool), omit });
  return Object.assign(client, { pool });
}
export type TPrisma = ReturnType<typeof createPrisma>;

const globalForPrisma = globalThis as unknown as { dlqPrisma?: TPrisma };

export function prisma(): TPrisma {
  globalForPrisma.dlqPrisma ??= createPrisma(env().DATABASE_URL);
  return globalForPrisma.dlqPrisma;
}

/** Closes the client and its pool (the adapter does not own a pool it was given). */
export async function disconnectPrisma() {
  const client = globalForPrisma.dlqPrisma;
  globalForPrisma.dlqPrisma = undefined;
  if (!client) return;
  await client.$disconnect();
  await client.pool.end();
}

/** Points prisma() at another database from now on (the bench moves to its seeded database). */
export async function pointPrismaAt(connectionString: string) {
  await disconnectPrisma();
  globalForPrisma.dlqPrisma = createPrisma(connectionString);
}
