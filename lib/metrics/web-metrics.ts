import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { log } from '../log';
import { readClusterGauges, type TClusterGauges } from './read-cluster-gauges';

// What GET /api/metrics serves from a web replica: its own HTTP latency and process
// metrics, and the cluster-wide gauges read from PostgreSQL (read-cluster-gauges.ts). Kept
// on globalThis: Next.js may load this module more than once (dev reloads, several route
// bundles), and prom-client refuses a name registered twice.

const CACHE_MS = 5000;

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    http: new Histogram({
      name: 'dlq_http_request_duration_seconds',
      help: 'API request duration in this web replica, by method, route pattern (e.g. /api/v1/messages/[id]) and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    gauges: {
      up: gauge('dlq_cluster_gauges_up', '1 when the cluster-wide gauges below were read from PostgreSQL for this scrape, 0 when the read failed (they are then absent).', []),
      unresolved: gauge('dlq_unresolved_messages', 'Unresolved messages (new, edited, failed: as the dashboard and alert rules count them), by source and origin queue ("" when no x-death names one); beyond the 200 largest source/origin pairs the rest of a source is summed under origin="(other)".', ['source', 'origin']),
      inflow: gauge('dlq_inflow_messages', 'Dead letters ingested in the last minute (window="1m") and 5 minutes (window="5m"), by source.', ['source', 'window']),
      outbox: gauge('dlq_outbox_pending', 'Publishes waiting in the outbox (pending dispatches), by kind.', ['kind']),
      dispatches: gauge('dlq_dispatches', 'Dispatches stored, by kind and state (pending, published, failed).', ['kind', 'state']),
      jobs: gauge('dlq_jobs', 'Bulk jobs by status.', ['status']),
      jobItems: gauge('dlq_job_items', 'Items of bulk jobs that are queued, running, in canary or paused: done, failed and remaining, by job kind.', ['kind', 'state']),
      alerts: gauge('dlq_alerts', 'Alerts by state (pending, firing, resolved).', ['state']),
      notifications: gauge('dlq_alert_notifications', 'Alert webhook notifications by state (pending, sent, failed).', ['state']),
      workers: gauge('dlq_workers', 'Workers whose heartbeat is within DLQ_HEARTBEAT_STALE_SECONDS.', []),
      heartbeatAge: gauge('dlq_worker_heartbeat_age_seconds', 'Age of the newest worker heartbeat (+Inf when no worker ever wrote one).', []),
      consumers: gauge('dlq_source_consumers', 'Live workers consuming each source (0: nobody is ingesting it).', ['source']),
    },
  };
}

type TWebMetrics = ReturnType<typeof create> & { cache?: { at: number; snapshot: Promise<TClusterGauges> } };

const store = globalThis as unknown as { dlqWebMetrics?: TWebMetrics };

export function webMetrics(): TWebMetrics {
  store.dlqWebMetrics ??= create();
  return store.dlqWebMetrics;
}

export function observeHttpRequest({ method, route, status, seconds }: { method: string; route: string; status: number; seconds: number }) {
  webMetrics().http.observe({ method, route, status: String(status) }, seconds);
}

/** One read in flight and one snapshot reused for CACHE_MS, however many scrapes arrive. */
function clusterGauges(m: TWebMetrics, staleSeconds: number): Promise<TClusterGauges> {
  if (!m.cache || Date.now() - m.cache.at > CACHE_MS) {
    const snapshot = readClusterGauges({ staleSeconds });
    m.cache = { at: Date.now(), snapshot };
    // A failed read is not reused: the next scrape tries again.
    snapshot.catch(() => { if (m.cache?.snapshot === snapshot) m.cache = undefined; });
  }
  return m.cache.snapshot;
}

function apply(m: TWebMetrics, s: TClusterGauges | null) {
  const g = m.gauges;
  for (const each of Object.values(g)) each.reset();
  g.up.set(s ? 1 : 0);
  if (!s) return;
  for (const r of s.unresolved) g.unresolved.set({ source: r.source, origin: r.origin }, r.count);
  for (const r of s.inflow) g.inflow.set({ source: r.source, window: r.window }, r.count);
  for (const r of s.outboxPending) g.outbox.set({ kind: r.kind }, r.count);
  for (const r of s.dispatches) g.dispatches.set({ kind: r.kind, state: r.state }, r.count);
  for (const r of s.jobs) g.jobs.set({ status: r.status }, r.count);
  for (const r of s.jobItems) g.jobItems.set({ kind: r.kind, state: r.state }, r.count);
  for (const r of s.alerts) g.alerts.set({ state: r.state }, r.count);
  for (const r of s.alertNotifications) g.notifications.set({ state: r.state }, r.count);
  g.workers.set(s.workers.fresh);
  g.heartbeatAge.set(s.workers.newestAgeSeconds ?? Infinity);
  for (const r of s.sourceConsumers) g.consumers.set({ source: r.source }, r.count);
}

/** The text Prometheus scrapes. A database outage leaves dlq_cluster_gauges_up 0 and the process metrics. */
export async function renderWebMetrics({ staleSeconds }: { staleSeconds: number }): Promise<{ contentType: string; body: string }> {
  const m = webMetrics();
  const snapshot = await clusterGauges(m, staleSeconds).catch((error: unknown) => {
    log.warn('metrics: cannot read the cluster gauges', { error });
    return null;
  });
  apply(m, snapshot);
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}

/** Tests: read the database at the next scrape instead of reusing a snapshot. */
export function forgetClusterGauges() {
  webMetrics().cache = undefined;
}
