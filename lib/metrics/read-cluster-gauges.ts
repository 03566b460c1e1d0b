import type { PoolClient } from 'pg';
import { prisma } from '../db/prisma';
import { UNRESOLVED_STATUSES } from '../retention/retention-policy-dto';

// The cluster-wide state behind GET /api/metrics, read from PostgreSQL when Prometheus
// scrapes: the same answer from every web replica, so scrape one or all and take max() (not
// sum()). Each query is grouped into a handful of rows and runs in one read-only
// transaction with a statement timeout, so a slow database fails the scrape instead of
// piling up connections. Callers reuse a snapshot for a few seconds (web-metrics.ts).

/** A bulk job that still has items to act on. */
export const ACTIVE_JOB_STATUSES = ['queued', 'running', 'canary', 'paused'] as const;

const STATEMENT_TIMEOUT_MS = 3000;

// The origin label comes from x-death, which a producer can forge on RabbitMQ 3.x: unlimited
// origins would be unlimited series. Only the MAX_ORIGIN_PAIRS largest source/origin pairs
// keep their own series; the rest of each source is summed under origin="(other)", so a
// sum by (source) stays exact. Sources are the configured queues, so at most one more
// series per source.
export const MAX_ORIGIN_PAIRS = 200;
export const OTHER_ORIGIN = '(other)';

export type TClusterGauges = {
  unresolved: { source: string; origin: string; count: number }[];
  inflow: { source: string; window: '1m' | '5m'; count: number }[];
  outboxPending: { kind: string; count: number }[];
  dispatches: { kind: string; state: string; count: number }[];
  jobs: { status: string; count: number }[];
  jobItems: { kind: string; state: 'done' | 'failed' | 'remaining'; count: number }[];
  alerts: { state: string; count: number }[];
  alertNotifications: { state: string; count: number }[];
  workers: { fresh: number; newestAgeSeconds: number | null };
  sourceConsumers: { source: string; count: number }[];
};

type TRow = Record<string, string | number | null>;

async function rows(client: PoolClient, sql: string, values: unknown[] = []): Promise<TRow[]> {
  return (await client.query<TRow>(sql, values)).rows;
}

export async function readClusterGauges({ staleSeconds, maxOriginPairs = MAX_ORIGIN_PAIRS }: { staleSeconds: number; maxOriginPairs?: number }): Promise<TClusterGauges> {
  const client = await prisma().pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(STATEMENT_TIMEOUT_MS)]);
    // The largest pairs first (ties by name, so the kept set is stable between scrapes).
    const unresolved = await rows(client, `
      WITH pairs AS (
        SELECT source_queue AS source, coalesce(origin_queue, '') AS origin, count(*)::int AS count
        FROM messages WHERE status = ANY($1::message_status[]) GROUP BY 1, 2
      ), ranked AS (
        SELECT source, origin, count, row_number() OVER (ORDER BY count DESC, source, origin) AS rank FROM pairs
      )
      SELECT source, CASE WHEN rank <= $2 THEN origin ELSE $3 END AS origin, sum(count)::int AS count
      FROM ranked GROUP BY 1, 2`, [[...UNRESOLVED_STATUSES], maxOriginPairs, OTHER_ORIGIN]);
    const inflow = await rows(client, `
      SELECT source_queue AS source,
        count(*) FILTER (WHERE ingested_at > now() - interval '1 minute')::int AS m1, count(*)::int AS m5
      FROM messages WHERE ingested_at > now() - interval '5 minutes' GROUP BY 1`);
    const outbox = await rows(client, `SELECT kind, count(*)::int AS count FROM dispatches WHERE state = 'pending' GROUP BY 1`);
    const dispatches = await rows(client, `SELECT kind, state, count(*)::int AS count FROM dispatches GROUP BY 1, 2`);
    const jobs = await rows(client, `SELECT status, count(*)::int AS count FROM bulk_jobs GROUP BY 1`);
    const jobItems = await rows(client, `
      SELECT kind, sum(done)::int AS done, sum(failed)::int AS failed, sum(greatest(0, total - done - failed))::int AS remaining
      FROM bulk_jobs WHERE status = ANY($1::text[]) GROUP BY 1`, [ACTIVE_JOB_STATUSES]);
    const alerts = await rows(client, `SELECT state, count(*)::int AS count FROM alerts GROUP BY 1`);
    const notifications = await rows(client, `SELECT state, count(*)::int AS count FROM alert_notifications GROUP BY 1`);
    const [workers] = await rows(client, `
      SELECT count(*) FILTER (WHERE seen_at > now() - $1 * interval '1 second')::int AS fresh,
        extract(epoch FROM now() - max(seen_at))::float8 AS age
      FROM worker_heartbeats`, [staleSeconds]);
    const consumers = await rows(client, `
      SELECT s.queue AS source, count(h.worker_id)::int AS count
      FROM sources s LEFT JOIN worker_heartbeats h ON s.queue = ANY(h.consuming) AND h.seen_at > now() - $1 * interval '1 second'
      GROUP BY 1`, [staleSeconds]);
    await client.query('COMMIT');
    return {
      unresolved: unresolved.map((r) => ({ source: String(r.source), origin: String(r.origin), count: Number(r.count) })),
      inflow: inflow.flatMap((r) => [
        { source: String(r.source), window: '1m' as const, count: Number(r.m1) },
        { source: String(r.source), window: '5m' as const, count: Number(r.m5) },
      ]),
      outboxPending: outbox.map((r) => ({ kind: String(r.kind), count: Number(r.count) })),
      dispatches: dispatches.map((r) => ({ kind: String(r.kind), state: String(r.state), count: Number(r.count) })),
      jobs: jobs.map((r) => ({ status: String(r.status), count: Number(r.count) })),
      jobItems: jobItems.flatMap((r) => (['done', 'failed', 'remaining'] as const).map((state) => ({ kind: String(r.kind), state, count: Number(r[state]) }))),
      alerts: alerts.map((r) => ({ state: String(r.state), count: Number(r.count) })),
      alertNotifications: notifications.map((r) => ({ state: String(r.state), count: Number(r.count) })),
      workers: { fresh: Number(workers?.fresh ?? 0), newestAgeSeconds: workers?.age === null || workers?.age === undefined ? null : Number(workers.age) },
      sourceConsumers: consumers.map((r) => ({ source: String(r.source), count: Number(r.count) })),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => { broken = true; });
    throw error;
  } finally {
    client.release(broken);
  }
}
