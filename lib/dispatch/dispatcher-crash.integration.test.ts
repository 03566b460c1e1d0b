import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { replayMessage } from '../messages/replay-message';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { HEADER } from './console-headers';

// The real worker process is SIGKILLed twice while it publishes hundreds of replays. After
// a restart every intent is published and recorded once; a copy on the broker twice is
// only ever one whose dispatch was claimed more than once (the window decision 0007
// documents), and its replay id says so.

const TOTAL = 300;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let work: string;
const running = new Set<ChildProcess>();
const operator: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', email: 'oncall@example.com', role: 'operator' };

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/worker/main.ts'], {
    env: {
      ...process.env, DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL, DLQ_SOURCES: '', LOG_LEVEL: 'warn',
      DLQ_DISPATCH_LEASE_MS: '3000', DLQ_DISPATCH_BATCH: '10', DLQ_DISPATCH_POLL_MS: '100',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exited(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

const published = () => prisma().dispatch.count({ where: { state: 'published' } });
const inFlight = () => prisma().dispatch.count({ where: { state: 'pending', leaseUntil: { gt: new Date() } } });

beforeAll(async () => {
  db = await createTestDatabase('dispatchcrash');
  broker = await createTestBroker('dispatchcrash');
  work = await broker.queue('work');
  // Bodies big enough that a batch is still in flight when the kill lands.
  const body = Uint8Array.from(Buffer.from(JSON.stringify({ pad: 'x'.repeat(64 * 1024) })));
  for (let i = 0; i < TOTAL; i++) {
    const m = await prisma().message.create({
      data: {
        sourceQueue: 'dlq', fingerprint: Uint8Array.from([i & 255, i >> 8]), originQueue: work, reason: 'rejected', routingKeys: [work],
        deathCount: 1, size: body.length, isLarge: false, body, properties: {}, headers: {}, xDeath: [], deliveryExchange: '',
        deliveryRoutingKey: 'dlq',
      },
    });
    await replayMessage({ actor: operator, id: m.id.toString(), version: 1, input: { version: 1 } });
  }
}, 120_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await broker?.cleanup();
  await db?.drop();
});

it('publishes every intent after SIGKILLs, records each outcome once, and duplicates only what it claimed twice', async () => {
  for (const threshold of [40, 140]) {
    const child = startWorker();
    // Killed while a claimed batch is in flight: its lease is committed, its outcomes are not.
    await waitFor(async () => (await published()) >= threshold && (await inFlight()) > 0, { timeoutMs: 60_000, what: `${threshold} published and a batch in flight`, intervalMs: 5 });
    child.kill('SIGKILL');
    await exited(child);
  }
  expect(await published()).toBeLessThan(TOTAL);
  const last = startWorker();
  await waitFor(async () => (await published()) === TOTAL, { timeoutMs: 90_000, what: 'every dispatch published' });
  await waitFor(async () => (await broker.messageCount(work)) >= TOTAL, { what: 'every replay on the broker' });

  const seen = new Map<string, number>();
  for (;;) {
    const m = await broker.channel.get(work, { noAck: true });
    if (!m) break;
    const id = m.properties.headers?.[HEADER.replayId] as string;
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const dispatches = await prisma().dispatch.findMany({ select: { id: true, attempts: true, state: true } });
  expect(dispatches).toHaveLength(TOTAL);
  for (const d of dispatches) {
    expect(seen.get(d.id) ?? 0, `dispatch ${d.id} on the broker`).toBeGreaterThanOrEqual(1);
    if ((seen.get(d.id) ?? 0) > 1) expect(d.attempts, `dispatch ${d.id} was published twice`).toBeGreaterThan(1);
  }
  expect(seen.size).toBe(TOTAL);
  // The kills landed mid-batch: some dispatches were claimed again after their lease ran out.
  expect(dispatches.some((d) => d.attempts > 1)).toBe(true);
  // One recorded outcome per intent, and every message settled.
  const outcomes = await prisma().auditEvent.groupBy({ by: ['subject'], where: { action: 'dispatch.published' }, _count: true });
  expect(outcomes).toHaveLength(TOTAL);
  expect(outcomes.every((o) => o._count === 1)).toBe(true);
  expect(await prisma().message.count({ where: { status: 'replayed' } })).toBe(TOTAL);

  last.kill('SIGTERM');
  await exited(last);
}, 240_000);
