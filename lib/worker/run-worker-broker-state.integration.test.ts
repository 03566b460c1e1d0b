import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_RABBITMQ_URL, waitFor } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { startTcpProxy, type TTcpProxy } from '../testing/tcp-proxy';
import { runWorker, type TWorker } from './run-worker';

// What the worker's heartbeat reports about RabbitMQ: down since it started until it
// connects, down from the moment its connection closes, connected again after it
// reconnects by itself. The broker is reached through a proxy the test cuts.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let proxy: TTcpProxy;
let worker: TWorker | undefined;

beforeAll(async () => {
  db = await createTestDatabase('brokerstate');
  const target = new URL(TEST_RABBITMQ_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5672) });
});
afterAll(async () => {
  await worker?.stop();
  await proxy?.close();
  await db?.drop();
});

it('reports since when it has no RabbitMQ connection, and null once it has one again', async () => {
  proxy.cut();
  const started = Date.now();
  worker = runWorker({ rabbitUrl: proxy.url(TEST_RABBITMQ_URL), refreshMs: 200, prefetch: 10, batchSize: 10, batchWaitMs: 10, largeBodyBytes: 1 << 20 });
  const initial = worker.brokerDownSince();
  expect(initial).toBeInstanceOf(Date);
  expect(initial!.getTime()).toBeGreaterThanOrEqual(started - 1000);
  proxy.restore();
  await worker.ready;
  await waitFor(async () => worker!.brokerDownSince() === null, { what: 'the worker to connect' });

  const cutAt = Date.now();
  proxy.cut();
  const lost = await waitFor(async () => worker!.brokerDownSince() ?? undefined, { what: 'the worker to notice the lost connection' });
  expect(lost.getTime()).toBeGreaterThanOrEqual(cutAt);
  // Still the same outage on the next failed attempts: "since" does not move.
  await new Promise((r) => setTimeout(r, 700));
  expect(worker.brokerDownSince()).toEqual(lost);
  proxy.restore();
  await waitFor(async () => worker!.brokerDownSince() === null, { timeoutMs: 20_000, what: 'the worker to reconnect by itself' });
});
