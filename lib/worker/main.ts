import { redactUrl } from '../cli/redact-url';
import { env } from '../env';
import { loadDotEnv } from '../load-dot-env';
import { disconnectPrisma } from '../db/prisma';
import { pendingMigrations } from '../db/migrate';
import { vacuumProblems } from '../db/vacuum-health';
import { addSources } from '../sources/add-sources';
import { log } from '../log';
import { serveWorkerMetrics } from '../metrics/serve-worker-metrics';
import { runDispatcher } from '../dispatch/run-dispatcher';
import { startBackgroundTasks } from './background-tasks';
import { runWorker } from './run-worker';
import { startHeartbeat } from './start-heartbeat';

// `npm run worker`: consume every source into PostgreSQL, and publish what operators
// asked for (the outbox), until SIGTERM or SIGINT.

loadDotEnv();
let config;
try {
  config = env();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const pending = await pendingMigrations(config.DATABASE_URL).catch((error: Error) => {
  // Names the variable and where it points (password hidden): the usual cause is the URL.
  log.error(`cannot reach the database at ${redactUrl(config.DATABASE_URL)} (DATABASE_URL): ${error.message}`, { error });
  process.exit(1);
});
if (pending.length > 0) {
  log.error('database schema is not up to date; run `npm run db:migrate`', { pending });
  process.exit(1);
}

// Not fatal: the console works, but bulk jobs slow down and tables bloat (docs/operations.md).
for (const problem of await vacuumProblems().catch(() => [])) {
  log.warn(`${problem}: dead rows are never cleared and statistics go stale, so bulk jobs slow down and tables grow; turn it on (docs/operations.md)`);
}

if (config.DLQ_SOURCES.length > 0) {
  const added = await addSources({ actor: { kind: 'system', name: 'worker' }, queues: config.DLQ_SOURCES });
  if (added.length) log.info('sources added from DLQ_SOURCES', { added });
}

let stored = 0;
const worker = runWorker({
  rabbitUrl: config.RABBITMQ_URL,
  refreshMs: config.DLQ_SOURCES_REFRESH_MS,
  prefetch: config.DLQ_PREFETCH,
  batchSize: config.DLQ_BATCH_SIZE,
  batchWaitMs: config.DLQ_BATCH_WAIT_MS,
  largeBodyBytes: config.DLQ_LARGE_BODY_BYTES,
  onStored: ({ inserted }) => { stored += inserted; },
});

const dispatcher = runDispatcher({
  rabbitUrl: config.RABBITMQ_URL,
  databaseUrl: config.DATABASE_URL,
  leaseMs: config.DLQ_DISPATCH_LEASE_MS,
  batch: config.DLQ_DISPATCH_BATCH,
  pollMs: config.DLQ_DISPATCH_POLL_MS,
});

const tasks = startBackgroundTasks(config);

// Readiness looks for a recent heartbeat; the row also says which sources this replica consumes
// and whether it reaches RabbitMQ (the console's status banner).
const heartbeat = startHeartbeat({
  intervalMs: config.DLQ_HEARTBEAT_INTERVAL_MS,
  consuming: () => worker.consuming(),
  brokerDownSince: () => worker.brokerDownSince(),
});

// Prometheus scrapes each worker replica here (the web's /api/metrics has the cluster-wide gauges).
const metricsServer = config.WORKER_METRICS_PORT === undefined
  ? undefined
  : await serveWorkerMetrics({ host: config.WORKER_METRICS_HOST, port: config.WORKER_METRICS_PORT }).catch((error: Error) => {
    log.error('cannot serve worker metrics; is WORKER_METRICS_PORT free?', { port: config.WORKER_METRICS_PORT, error });
    process.exit(1);
  });

const progress = setInterval(() => {
  if (stored > 0) log.info('ingest progress', { stored });
  stored = 0;
}, 10_000);

// A bug must be loud, not a silent half-dead worker: log it and let the supervisor restart us.
// Unacked deliveries go back to the queue, so nothing is lost by exiting.
process.on('unhandledRejection', (error) => {
  log.error('unhandled rejection; exiting', { error });
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping: finishing the current batches', { signal });
    clearInterval(progress);
    await Promise.all([worker.stop(), dispatcher.stop(), heartbeat.stop(), ...tasks.map((t) => t.stop())]);
    await metricsServer?.stop();
    await disconnectPrisma();
    log.info('stopped');
    process.exit(0);
  });
}
