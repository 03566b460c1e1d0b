import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// The worker's own metrics, served on WORKER_METRICS_PORT (serve-worker-metrics.ts). They
// count what this process did: Prometheus sums them over the worker replicas. Labels carry
// queue names of sources (bounded by the sources an admin added) and fixed words, never
// anything from a message.

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    ingested: new Counter({
      name: 'dlq_ingested_messages_total',
      help: 'Dead letters committed to the database, per source queue (redeliveries of stored messages not counted).',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'dlq_ingest_batch_commit_seconds',
      help: 'Time to commit one ingest batch to PostgreSQL (the attempt that succeeded).',
      labelNames: ['source'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'dlq_ingest_batch_messages',
      help: 'Deliveries per committed ingest batch.',
      buckets: [1, 5, 10, 25, 50, 100, 200, 500, 1000],
      registers: [registry],
    }),
    lagSeconds: new Histogram({
      name: 'dlq_ingest_lag_seconds',
      help: 'Commit time minus the x-death time of the dead-lettering (newest x-death entry with count 1 only; one-second resolution).',
      labelNames: ['source'] as const,
      buckets: [1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400],
      registers: [registry],
    }),
    publishes: new Counter({
      name: 'dlq_publishes_total',
      help: 'Publishes the dispatcher settled, by dispatch kind (replay, redirect, sandbox) and outcome (published, failed, retry).',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type TWorkerMetrics = ReturnType<typeof create>;

// One set per process, kept on globalThis: a module loaded twice (tests, reloads) must not
// register the same names twice.
const store = globalThis as unknown as { dlqWorkerMetrics?: TWorkerMetrics };

export function workerMetrics(): TWorkerMetrics {
  store.dlqWorkerMetrics ??= create();
  return store.dlqWorkerMetrics;
}

export function recordIngestBatch({ source, received, inserted, commitSeconds, lags }: {
  source: string; received: number; inserted: number; commitSeconds: number; lags: (number | null)[];
}) {
  const m = workerMetrics();
  m.ingested.inc({ source }, inserted);
  m.commitSeconds.observe({ source }, commitSeconds);
  m.batchSize.observe(received);
  for (const lag of lags) if (lag !== null) m.lagSeconds.observe({ source }, lag);
}

export function recordPublishOutcomes(outcomes: { kind: string; outcome: string }[]) {
  const m = workerMetrics();
  for (const o of outcomes) m.publishes.inc({ kind: o.kind, outcome: o.outcome });
}
