import { prisma } from './prisma';

// PostgreSQL's autovacuum must run on the console's hot tables (docs/operations.md): a bulk
// job changes them by the hundred thousand, and without it dead rows are never cleared and
// the planner's statistics go stale (the bench measured replays 37 % slower). It is on by
// default; a server or table where someone turned it off gets a warning when the worker
// starts, so the first thing an operator reads about slow replays is the cause.

/** The tables whose row churn makes autovacuum a requirement. */
const HOT_TABLES = ['messages', 'message_search', 'dispatches', 'bulk_job_items', 'audit_events'] as const;

export async function vacuumProblems(): Promise<string[]> {
  const [server] = await prisma().$queryRaw<{ autovacuum: string; trackCounts: string }[]>`
    SELECT current_setting('autovacuum') AS autovacuum, current_setting('track_counts') AS "trackCounts"`;
  const tables = await prisma().$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(${[...HOT_TABLES]}::text[])
      AND 'autovacuum_enabled=false' = ANY(c.reloptions)
    ORDER BY c.relname`;
  const problems: string[] = [];
  if (server?.autovacuum !== 'on') problems.push('autovacuum is off on this PostgreSQL server (autovacuum = off)');
  else if (server.trackCounts !== 'on') problems.push('autovacuum cannot run: track_counts = off on this PostgreSQL server');
  if (tables.length > 0) problems.push(`autovacuum is turned off on ${tables.map((t) => t.name).join(', ')} (autovacuum_enabled = false)`);
  return problems;
}
