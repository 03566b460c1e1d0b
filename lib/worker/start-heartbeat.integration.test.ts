import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { waitFor } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { startHeartbeat } from './start-heartbeat';

let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => { db = await createTestDatabase('heartbeat'); });
afterAll(async () => { await db?.drop(); });

describe('worker heartbeat', () => {
  it('writes its row every interval with the sources consumed right now, and deletes it on stop', async () => {
    let consuming = ['orders.dlq'];
    const heartbeat = startHeartbeat({ intervalMs: 100, consuming: () => consuming });
    expect(heartbeat.workerId).toMatch(new RegExp(`:${process.pid}:[0-9a-f]{6}$`));
    const first = await waitFor(() => prisma().workerHeartbeat.findUnique({ where: { workerId: heartbeat.workerId } }).then((r) => r ?? undefined), { what: 'the heartbeat row' });
    expect(first).toMatchObject({ pid: process.pid, consuming: ['orders.dlq'] });

    consuming = ['billing.dlq', 'orders.dlq'];
    const later = await waitFor(async () => {
      const row = await prisma().workerHeartbeat.findUnique({ where: { workerId: heartbeat.workerId } });
      return row && row.consuming.length === 2 ? row : undefined;
    }, { what: 'the heartbeat to follow the consumed sources' });
    expect(later.seenAt.getTime()).toBeGreaterThan(first.seenAt.getTime());
    expect(later.startedAt).toEqual(first.startedAt);

    await heartbeat.stop();
    expect(await prisma().workerHeartbeat.count({ where: { workerId: heartbeat.workerId } })).toBe(0);
  });

  it('writes since when the worker has been without RabbitMQ, and clears it once connected again', async () => {
    let downSince: Date | null = new Date('2026-11-30T03:12:00.000Z');
    const heartbeat = startHeartbeat({ intervalMs: 100, consuming: () => [], brokerDownSince: () => downSince });
    const row = () => prisma().workerHeartbeat.findUnique({ where: { workerId: heartbeat.workerId } });
    await waitFor(async () => (await row())?.brokerDownSince?.toISOString() === '2026-11-30T03:12:00.000Z', { what: 'the broker outage in the row' });
    downSince = null;
    await waitFor(async () => (await row())?.brokerDownSince === null, { what: 'the row to say connected' });
    await heartbeat.stop();
  });

  it('prunes the rows of workers not seen for a day', async () => {
    await prisma().workerHeartbeat.create({ data: { workerId: 'gone:1:abcdef', hostname: 'gone', pid: 1, startedAt: new Date(Date.now() - 3 * 86_400_000), seenAt: new Date(Date.now() - 86_400_000 - 60_000) } });
    await prisma().workerHeartbeat.create({ data: { workerId: 'recent:2:abcdef', hostname: 'recent', pid: 2, startedAt: new Date(), seenAt: new Date(Date.now() - 3_600_000) } });
    const heartbeat = startHeartbeat({ intervalMs: 60_000, consuming: () => [] });
    await waitFor(async () => (await prisma().workerHeartbeat.count({ where: { workerId: 'gone:1:abcdef' } })) === 0, { what: 'the stale row to be pruned' });
    expect(await prisma().workerHeartbeat.count({ where: { workerId: 'recent:2:abcdef' } })).toBe(1);
    await heartbeat.stop();
  });
});
