import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { runDispatcher, type TDispatcher } from '../dispatch/run-dispatcher';
import { replayMessage } from '../messages/replay-message';
import { addSources } from '../sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { runWorker, type TWorker } from '../worker/run-worker';
import { serveWorkerMetrics, type TWorkerMetricsServer } from './serve-worker-metrics';
import { forgetClusterGauges, renderWebMetrics } from './web-metrics';

// The series move with the work: the worker's /metrics (scraped over HTTP) counts what it
// ingested, the commit latency and the lag, and the publishes of a replay; the web's
// cluster gauges (read from PostgreSQL) count the unresolved messages and the dispatches.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let worker: TWorker;
let dispatcher: TDispatcher;
let server: TWorkerMetricsServer;
let dlq: string;
let work: string;

const operator: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', email: 'oncall@example.com', role: 'operator' };

beforeAll(async () => {
  db = await createTestDatabase('metrics');
  broker = await createTestBroker('metrics');
  const dlx = await broker.exchange('dlx', 'fanout');
  dlq = await broker.queue('dlq');
  await broker.channel.bindQueue(dlq, dlx, '');
  work = await broker.queue('work', { deadLetterExchange: dlx });
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
  worker = runWorker({ rabbitUrl: TEST_RABBITMQ_URL, refreshMs: 200, prefetch: 100, batchSize: 50, batchWaitMs: 20, largeBodyBytes: 1024 * 1024 });
  dispatcher = runDispatcher({ rabbitUrl: TEST_RABBITMQ_URL, databaseUrl: db.url, leaseMs: 10_000, batch: 50, pollMs: 200 });
  server = await serveWorkerMetrics({ host: '127.0.0.1', port: 0 });
  await Promise.all([worker.ready, dispatcher.ready]);
});

afterAll(async () => {
  await server?.stop();
  await dispatcher?.stop();
  await worker?.stop();
  await broker?.cleanup();
  await db?.drop();
});

/** The value of one sample in Prometheus text, 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(match[3]);
  }
  return 0;
}

async function scrapeWorker() {
  const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

async function scrapeWeb() {
  forgetClusterGauges();
  return (await renderWebMetrics({ staleSeconds: 30 })).body;
}

/** Rejects n messages from `work`, so the broker dead-letters them into the source. */
async function deadLetter(n: number, label: string) {
  for (let i = 0; i < n; i++) broker.channel.sendToQueue(work, Buffer.from(`{"n":${i}}`), { contentType: 'application/json', messageId: `${label}-${i}` });
  for (let i = 0; i < n; i++) {
    const got = await waitFor(async () => (await broker.channel.get(work, { noAck: false })) || undefined, { what: `a message in ${work}` });
    broker.channel.nack(got, false, false);
  }
  return waitFor(async () => {
    const rows = await prisma().message.findMany({ where: { messageId: { startsWith: `${label}-` } }, orderBy: { id: 'asc' } });
    return rows.length === n ? rows : undefined;
  }, { what: `${n} stored messages` });
}

describe('metrics', () => {
  it('the worker counts what it ingests, how long each commit took and the lag since the dead-lettering', async () => {
    const before = await scrapeWorker();
    await deadLetter(3, 'ingest');
    const after = await waitFor(async () => {
      const text = await scrapeWorker();
      return sample(text, 'dlq_ingested_messages_total', { source: dlq }) >= sample(before, 'dlq_ingested_messages_total', { source: dlq }) + 3 ? text : undefined;
    }, { what: 'the ingested counter to move' });
    expect(sample(after, 'dlq_ingested_messages_total', { source: dlq }) - sample(before, 'dlq_ingested_messages_total', { source: dlq })).toBe(3);
    expect(sample(after, 'dlq_ingest_batch_commit_seconds_count', { source: dlq })).toBeGreaterThan(sample(before, 'dlq_ingest_batch_commit_seconds_count', { source: dlq }));
    expect(sample(after, 'dlq_ingest_batch_commit_seconds_sum', { source: dlq })).toBeGreaterThan(0);
    // Each was dead-lettered once: its x-death time measures the lag (seconds at most here).
    expect(sample(after, 'dlq_ingest_lag_seconds_count', { source: dlq }) - sample(before, 'dlq_ingest_lag_seconds_count', { source: dlq })).toBe(3);
    expect(sample(after, 'dlq_ingest_lag_seconds_bucket', { source: dlq, le: '+Inf' })).toBe(sample(after, 'dlq_ingest_lag_seconds_count', { source: dlq }));
    expect(sample(after, 'dlq_ingest_lag_seconds_bucket', { source: dlq, le: '60' })).toBe(sample(after, 'dlq_ingest_lag_seconds_count', { source: dlq }));
    // Process metrics come along, and nothing from a message is in a label.
    expect(after).toContain('process_cpu_user_seconds_total');
    expect(after).not.toContain('ingest-0');
  });

  it('the web gauges count unresolved messages by source and origin, and replays as published dispatches', async () => {
    const before = await scrapeWeb();
    expect(sample(before, 'dlq_cluster_gauges_up')).toBe(1);
    const rows = await deadLetter(2, 'replay');
    const afterIngest = await scrapeWeb();
    expect(sample(afterIngest, 'dlq_unresolved_messages', { source: dlq, origin: work }) - sample(before, 'dlq_unresolved_messages', { source: dlq, origin: work })).toBe(2);
    expect(sample(afterIngest, 'dlq_inflow_messages', { source: dlq, window: '5m' })).toBeGreaterThanOrEqual(5);

    const workerBefore = await scrapeWorker();
    const row = rows[0]!;
    await replayMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version, reason: 'metrics test' } });
    await waitFor(async () => (await prisma().message.findUnique({ where: { id: row.id } }))?.status === 'replayed', { what: 'the replay to be confirmed' });

    const afterReplay = await scrapeWeb();
    expect(sample(afterReplay, 'dlq_dispatches', { kind: 'replay', state: 'published' }) - sample(before, 'dlq_dispatches', { kind: 'replay', state: 'published' })).toBe(1);
    expect(sample(afterReplay, 'dlq_outbox_pending', { kind: 'replay' })).toBe(0);
    expect(sample(afterReplay, 'dlq_unresolved_messages', { source: dlq, origin: work })).toBe(sample(afterIngest, 'dlq_unresolved_messages', { source: dlq, origin: work }) - 1);
    const workerAfter = await scrapeWorker();
    expect(sample(workerAfter, 'dlq_publishes_total', { kind: 'replay', outcome: 'published' }) - sample(workerBefore, 'dlq_publishes_total', { kind: 'replay', outcome: 'published' })).toBe(1);
  });

  it('the web gauges see a live worker and who consumes each source', async () => {
    await prisma().workerHeartbeat.create({ data: { workerId: 'metrics-test:1:abcdef', hostname: 'h', pid: 1, startedAt: new Date(), seenAt: new Date(), consuming: [dlq] } });
    const text = await scrapeWeb();
    expect(sample(text, 'dlq_workers')).toBe(1);
    expect(sample(text, 'dlq_worker_heartbeat_age_seconds')).toBeLessThan(30);
    expect(sample(text, 'dlq_source_consumers', { source: dlq })).toBe(1);
  });

  it('the worker endpoint answers GET /metrics only', async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
