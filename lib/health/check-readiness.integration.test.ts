import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getReady } from '../../app/api/v1/health/ready/route';
import { pendingMigrations } from '../db/migrate';
import { prisma } from '../db/prisma';
import { TEST_RABBITMQ_URL } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { startTcpProxy, type TTcpProxy } from '../testing/tcp-proxy';
import { beat, newWorkerId } from '../worker/start-heartbeat';
import { createReadiness, defaultProbes, type TReadinessChecker } from './check-readiness';
import { findPendingMigrations } from './find-pending-migrations';

// Readiness against the real PostgreSQL and RabbitMQ, the broker reached through a proxy
// this test cuts and restores. The answer is not cached here (cacheMs 0), so each request
// probes again and nothing waits for a cache to expire. The route reads the checker kept
// on globalThis, which the test replaces with this one.

const STALE_SECONDS = 30;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let proxy: TTcpProxy;
let checker: TReadinessChecker;
const workerId = newWorkerId();

async function ready(search = '') {
  const response = await getReady(new NextRequest(`http://console.test/api/v1/health/ready${search}`));
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  db = await createTestDatabase('ready');
  const target = new URL(TEST_RABBITMQ_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5672) });
  const probes = defaultProbes({ RABBITMQ_URL: proxy.url(TEST_RABBITMQ_URL), DLQ_HEARTBEAT_STALE_SECONDS: STALE_SECONDS }, 2000);
  checker = createReadiness({ probes, cacheMs: 0, timeoutMs: 2000, staleSeconds: STALE_SECONDS });
  (globalThis as { dlqReadiness?: TReadinessChecker }).dlqReadiness = checker;
  await beat({ workerId, startedAt: new Date(), consuming: [] });
});

afterAll(async () => {
  (globalThis as { dlqReadiness?: TReadinessChecker }).dlqReadiness = undefined;
  await proxy?.close();
  await db?.drop();
});

describe('readiness', () => {
  it('is 200 with every check ok when the database, broker, migrations and a worker are there', async () => {
    expect(await ready()).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', broker: 'ok', migrations: 'ok', worker: 'ok' } } });
  });

  it('is 503 naming the broker while RabbitMQ is unreachable, and 200 again once it is back', async () => {
    proxy.cut();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      status: 'down',
      checks: { database: 'ok', broker: 'down', migrations: 'ok', worker: 'ok' },
      reason: 'broker: RabbitMQ does not answer',
    });
    // Nothing about where the broker is: no host, port or credentials.
    expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|guest|amqp:|\d{4,5}/);

    proxy.restore();
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('?checks= runs only the checks named: a web replica stays ready while RabbitMQ and every worker are down', async () => {
    proxy.cut();
    await prisma().$executeRaw`UPDATE worker_heartbeats SET seen_at = now() - ${STALE_SECONDS + 5} * interval '1 second'`;
    try {
      expect(await ready('?checks=database,migrations')).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', migrations: 'ok' } } });
      // Order and repeats do not matter.
      expect(await ready('?checks=migrations,database,database')).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'ok', migrations: 'ok' } } });
      // The default still checks all four, naming both cluster-wide failures.
      expect(await ready()).toEqual({
        status: 503,
        body: {
          status: 'down',
          checks: { database: 'ok', broker: 'down', migrations: 'ok', worker: 'down' },
          reason: `broker: RabbitMQ does not answer; worker: no worker heartbeat within ${STALE_SECONDS} s`,
        },
      });
      expect(await ready('?checks=broker')).toEqual({ status: 503, body: { status: 'down', checks: { broker: 'down' }, reason: 'broker: RabbitMQ does not answer' } });
    } finally {
      proxy.restore();
      await beat({ workerId, startedAt: new Date(), consuming: [] });
    }
    expect(await ready('?checks=broker,worker')).toEqual({ status: 200, body: { status: 'ok', checks: { broker: 'ok', worker: 'ok' } } });
  });

  it('?checks= refuses an unknown or empty check with a 400 naming it, and probes nothing', async () => {
    for (const [search, named] of [
      ['?checks=database,brokr', '"brokr" is not a check'],
      ['?checks=', 'an empty check name'],
      ['?checks=database,', 'an empty check name'],
      ['?checks=DATABASE', '"DATABASE" is not a check'],
    ] as const) {
      const bad = await ready(search);
      expect(bad.status, search).toBe(400);
      expect(bad.body, search).toEqual({ error: { code: 'INVALID_INPUT', message: expect.stringContaining(named) } });
      expect(bad.body.error.message).toContain('"checks"');
      expect(bad.body.error.message).toContain('database, broker, migrations, worker');
    }
    expect((await ready('?check=database')).body.error.message).toContain('"check"');
    expect((await ready('?checks=database&checks=broker')).status).toBe(400);
  });

  it('is 503 naming the migrations when one is not applied', async () => {
    const [latest] = await prisma().$queryRaw<{ name: string }[]>`SELECT migration_name AS name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await prisma().$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = ${latest!.name}`;
    try {
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.body.checks).toEqual({ database: 'ok', broker: 'ok', migrations: 'down', worker: 'ok' });
      expect(down.body.reason).toMatch(/^migrations: /);
      // The web's own reading of the folder agrees with the migrator's.
      expect(await findPendingMigrations()).toEqual([latest!.name]);
      expect(await pendingMigrations(db.url)).toEqual([latest!.name]);
    } finally {
      await prisma().$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE migration_name = ${latest!.name}`;
    }
    expect((await ready()).status).toBe(200);
  });

  it('is 503 naming the worker when the newest heartbeat is older than DLQ_HEARTBEAT_STALE_SECONDS, and 200 after a fresh one', async () => {
    await prisma().$executeRaw`UPDATE worker_heartbeats SET seen_at = now() - ${STALE_SECONDS + 5} * interval '1 second'`;
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      status: 'down',
      checks: { database: 'ok', broker: 'ok', migrations: 'ok', worker: 'down' },
      reason: `worker: no worker heartbeat within ${STALE_SECONDS} s`,
    });
    await beat({ workerId, startedAt: new Date(), consuming: [] });
    expect((await ready()).status).toBe(200);
  });

  it('reuses an answer for cacheMs, so callers cannot make it probe per request', async () => {
    let probes = 0;
    const ok = async () => { probes++; };
    const cached = createReadiness({ probes: { database: ok, broker: ok, migrations: ok, worker: ok }, cacheMs: 60_000, staleSeconds: STALE_SECONDS });
    await Promise.all([cached.check(), cached.check(), cached.check()]);
    await cached.check();
    expect(probes).toBe(4); // one round of the four probes
  });

  it('caches each set of checks apart: a subset does not answer for the full set', async () => {
    const calls: string[] = [];
    let brokerUp = true;
    const probe = (name: string, up: () => boolean) => async () => { calls.push(name); if (!up()) throw new Error('down'); };
    const cached = createReadiness({
      probes: { database: probe('database', () => true), broker: probe('broker', () => brokerUp), migrations: probe('migrations', () => true), worker: probe('worker', () => true) },
      cacheMs: 60_000,
      staleSeconds: STALE_SECONDS,
    });
    brokerUp = false;
    expect(await cached.check(['database', 'migrations'])).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    expect((await cached.check()).status).toBe('down');
    expect(await cached.check(['migrations', 'database'])).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    expect(calls.sort()).toEqual(['broker', 'database', 'database', 'migrations', 'migrations', 'worker']);
  });

  it('reports a probe that hangs as down after the timeout', async () => {
    const ok = async () => {};
    const hung = createReadiness({ probes: { database: ok, broker: () => new Promise(() => {}), migrations: ok, worker: ok }, cacheMs: 0, timeoutMs: 100, staleSeconds: STALE_SECONDS });
    expect(await hung.check()).toMatchObject({ status: 'down', checks: { broker: 'down', database: 'ok' } });
  });
});
