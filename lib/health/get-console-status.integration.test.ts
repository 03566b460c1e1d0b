import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { TEST_RABBITMQ_URL } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { startTcpProxy, type TTcpProxy } from '../testing/tcp-proxy';
import { beat } from '../worker/start-heartbeat';
import { createReadiness, defaultProbes } from './check-readiness';
import { createConsoleStatus, type TConsoleStatusReader } from './get-console-status';

// The banner's status against the real PostgreSQL and RabbitMQ: the broker through a
// proxy this test cuts, the workers as heartbeat rows written here, the database made to
// refuse this test's connections. The clock of "since this replica saw it" is the test's.

const STALE_SECONDS = 30;
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let proxy: TTcpProxy;
let status: TConsoleStatusReader;
let clock = new Date();

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

beforeAll(async () => {
  db = await createTestDatabase('status');
  const target = new URL(TEST_RABBITMQ_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5672) });
  const probes = defaultProbes({ RABBITMQ_URL: proxy.url(TEST_RABBITMQ_URL), DLQ_HEARTBEAT_STALE_SECONDS: STALE_SECONDS }, 2000);
  const checker = createReadiness({ probes, cacheMs: 0, timeoutMs: 2000, staleSeconds: STALE_SECONDS });
  status = createConsoleStatus({ checker, staleSeconds: STALE_SECONDS, now: () => clock });
});
afterAll(async () => {
  await proxy?.close();
  await db?.drop();
});
beforeEach(async () => {
  proxy.restore();
  await prisma().workerHeartbeat.deleteMany();
  await status.get(); // forgets what the last test left down
});

describe('console status', () => {
  it('is ok with no problem while RabbitMQ answers and a worker is connected', async () => {
    await beat({ workerId: 'w:1:aaaaaa', startedAt: new Date(), consuming: ['q'] });
    expect(await status.get()).toEqual({ status: 'ok', checkedAt: clock.toISOString(), problems: [] });
  });

  it('names RabbitMQ down since this replica first saw it, then since a worker saw it earlier, and clears on recovery', async () => {
    await beat({ workerId: 'w:1:aaaaaa', startedAt: new Date(), consuming: [] });
    proxy.cut();
    const first = clock;
    expect((await status.get()).problems).toEqual([{ kind: 'broker', since: first.toISOString(), workers: 'connected' }]);
    clock = new Date(clock.getTime() + 60_000);
    // Still the first sighting: "since" does not move while the outage lasts.
    expect((await status.get()).problems).toEqual([{ kind: 'broker', since: first.toISOString(), workers: 'connected' }]);

    const workerLost = ago(120);
    await beat({ workerId: 'w:1:aaaaaa', startedAt: new Date(), consuming: [], brokerDownSince: workerLost });
    expect(await status.get()).toMatchObject({ status: 'degraded', problems: [{ kind: 'broker', since: workerLost.toISOString(), workers: 'reconnecting' }] });

    proxy.restore();
    await beat({ workerId: 'w:1:aaaaaa', startedAt: new Date(), consuming: ['q'] });
    expect(await status.get()).toMatchObject({ status: 'ok', problems: [] });
    proxy.cut();
    clock = new Date(clock.getTime() + 60_000);
    // A new outage is a new "since".
    expect((await status.get()).problems).toEqual([{ kind: 'broker', since: clock.toISOString(), workers: 'connected' }]);
  });

  it('names workers that lost RabbitMQ while the console still reaches it, after a grace for a reconnect', async () => {
    const lost = ago(60);
    await beat({ workerId: 'w:1:aaaaaa', startedAt: new Date(), consuming: [], brokerDownSince: lost });
    expect((await status.get()).problems).toEqual([{ kind: 'worker-broker', since: lost.toISOString(), down: 1, of: 1 }]);
    await beat({ workerId: 'w:2:bbbbbb', startedAt: new Date(), consuming: ['q'] });
    expect((await status.get()).problems).toEqual([{ kind: 'worker-broker', since: lost.toISOString(), down: 1, of: 2 }]);
    // A worker that just started, or reconnects within seconds, is not news.
    await beat({ workerId: 'w:1:aaaaaa', startedAt: new Date(), consuming: [], brokerDownSince: ago(2) });
    expect(await status.get()).toMatchObject({ status: 'ok', problems: [] });
    // The row of a worker that died long ago says nothing about RabbitMQ.
    await prisma().workerHeartbeat.update({ where: { workerId: 'w:1:aaaaaa' }, data: { seenAt: ago(STALE_SECONDS + 60), brokerDownSince: lost } });
    expect(await status.get()).toMatchObject({ status: 'ok', problems: [] });
  });

  it('names a missing worker since its last heartbeat, or without a time when none is left', async () => {
    const lastSeen = ago(STALE_SECONDS + 5);
    await beat({ workerId: 'w:1:aaaaaa', startedAt: new Date(), consuming: [] });
    await prisma().workerHeartbeat.update({ where: { workerId: 'w:1:aaaaaa' }, data: { seenAt: lastSeen } });
    expect((await status.get()).problems).toEqual([{ kind: 'no-worker', since: lastSeen.toISOString() }]);
    await prisma().workerHeartbeat.deleteMany();
    expect((await status.get()).problems).toEqual([{ kind: 'no-worker', since: null }]);
    proxy.cut();
    expect((await status.get()).problems).toEqual([
      { kind: 'broker', since: clock.toISOString(), workers: 'none' },
      { kind: 'no-worker', since: null },
    ]);
  });

  it('names PostgreSQL down while the database refuses connections, and recovers by itself', async () => {
    await beat({ workerId: 'w:1:aaaaaa', startedAt: new Date(), consuming: [] });
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db.name]);
      const down = await status.get();
      expect(down).toEqual({ status: 'degraded', checkedAt: clock.toISOString(), problems: [{ kind: 'database', since: clock.toISOString() }] });
    } finally {
      await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect(await status.get()).toMatchObject({ status: 'ok', problems: [] });
  });
});
