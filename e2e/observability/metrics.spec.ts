import { expect, test } from '@playwright/test';
import { seedDeadLetters } from '../support/fixtures';

// Prometheus endpoints of the running console: the web's /api/metrics (bearer token) with
// the cluster-wide gauges, the worker's own /metrics port with its counters, and readiness.

const token = process.env.E2E_METRICS_TOKEN!;
const workerMetrics = `http://127.0.0.1:${process.env.E2E_WORKER_METRICS_PORT}/metrics`;

/** One sample's value in Prometheus text, 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(match[3]);
  }
  return 0;
}

test('/api/metrics wants the bearer token', async ({ request }) => {
  const anonymous = await request.get('/api/metrics');
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('METRICS_TOKEN') } });
  expect((await request.get('/api/metrics', { headers: { authorization: `Bearer ${token}x` } })).status()).toBe(401);
  // An operator's API token is not the metrics token.
  expect((await request.get('/api/metrics', { headers: { authorization: 'Bearer dlq_not-the-metrics-token' } })).status()).toBe(401);
});

test('/api/metrics names the series, and the unresolved gauge and the worker counter move when dead letters arrive', async ({ request }) => {
  const auth = { authorization: `Bearer ${token}` };
  const first = await request.get('/api/metrics', { headers: auth });
  expect(first.status()).toBe(200);
  expect(first.headers()['content-type']).toContain('text/plain');
  const text = await first.text();
  for (const name of [
    'dlq_http_request_duration_seconds', 'dlq_cluster_gauges_up', 'dlq_unresolved_messages', 'dlq_inflow_messages', 'dlq_outbox_pending',
    'dlq_dispatches', 'dlq_jobs', 'dlq_job_items', 'dlq_alerts', 'dlq_alert_notifications', 'dlq_workers', 'dlq_worker_heartbeat_age_seconds',
    'dlq_source_consumers', 'process_cpu_user_seconds_total',
  ]) expect(text, name).toContain(`# TYPE ${name} `);
  expect(sample(text, 'dlq_cluster_gauges_up')).toBe(1);

  const seeded = await seedDeadLetters('metrics', [
    { body: '{"a":1}', contentType: 'application/json', messageId: 'metrics-1' },
    { body: '{"a":2}', contentType: 'application/json', messageId: 'metrics-2' },
    { body: 'expired', messageId: 'metrics-3', reason: 'expired' },
  ]);
  try {
    // The gauges are read from PostgreSQL at most every 5 s: poll until the scrape sees them.
    await expect.poll(async () => sample(await (await request.get('/api/metrics', { headers: auth })).text(), 'dlq_unresolved_messages', { source: seeded.dlq, origin: seeded.work }), { timeout: 15_000 }).toBe(3);

    await expect.poll(async () => sample(await (await request.get(workerMetrics)).text(), 'dlq_ingested_messages_total', { source: seeded.dlq })).toBe(3);
    const worker = await (await request.get(workerMetrics)).text();
    expect(sample(worker, 'dlq_ingest_batch_commit_seconds_count', { source: seeded.dlq })).toBeGreaterThanOrEqual(1);
    expect(worker).toContain('# TYPE dlq_publishes_total counter');
    expect(worker).toContain('# TYPE dlq_ingest_lag_seconds histogram');

    // A call naming the queue is in the latency histogram by route pattern, never by raw path.
    expect((await request.patch(`/api/v1/sources/${encodeURIComponent(seeded.dlq)}`, { data: {} })).status()).toBe(401);
    const later = await (await request.get('/api/metrics', { headers: auth })).text();
    expect(sample(later, 'dlq_http_request_duration_seconds_count', { method: 'PATCH', route: '/api/v1/sources/[queue]', status: '401' })).toBeGreaterThanOrEqual(1);
    const routes = [...later.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!);
    for (const route of routes) expect(route).toMatch(/^(\/([a-z][a-z0-9-]*|\[[a-zA-Z]+\]))+$/);
  } finally {
    await seeded.cleanup();
  }
});

test('the latency histogram labels a message route by its pattern', async ({ request }) => {
  // Any id: the 401 for an anonymous caller is measured as well.
  expect((await request.get('/api/v1/messages/424242')).status()).toBe(401);
  const text = await (await request.get('/api/metrics', { headers: { authorization: `Bearer ${token}` } })).text();
  expect(sample(text, 'dlq_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/messages/[id]', status: '401' })).toBeGreaterThanOrEqual(1);
  expect(text).not.toContain('424242');
});

test('readiness is 200 with a worker running, and liveness answers without checking anything', async ({ request }) => {
  await expect.poll(async () => (await request.get('/api/v1/health/ready')).status(), { timeout: 15_000 }).toBe(200);
  expect(await (await request.get('/api/v1/health/ready')).json()).toEqual({ status: 'ok', checks: { database: 'ok', broker: 'ok', migrations: 'ok', worker: 'ok' } });
  expect(await (await request.get('/api/v1/health')).json()).toEqual({ status: 'ok' });
});

test('readiness runs only the checks asked for, and refuses an unknown one naming it', async ({ request }) => {
  // What a web replica's readinessProbe asks: its own database and schema, not the cluster-wide broker and workers.
  const web = await request.get('/api/v1/health/ready?checks=database,migrations');
  expect(web.status()).toBe(200);
  expect(await web.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  const bad = await request.get('/api/v1/health/ready?checks=database,rabbit');
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toEqual({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('"rabbit" is not a check') } });
  expect((await request.get('/api/v1/health/ready?checks=')).status()).toBe(400);
});
