import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { replayMessage } from '../messages/replay-message';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { claimDispatches } from './claim-dispatches';
import { recordDispatchOutcomes } from './record-dispatch-outcomes';
import { runDispatcher } from './run-dispatcher';

// While the broker cannot be reached nothing is claimed or lost: the intent waits, and is
// published once a dispatcher can reach the broker. A publish that got no trustworthy
// answer is retried later with backoff, and the audit record says so.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
const operator: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', email: 'oncall@example.com', role: 'operator' };

beforeAll(async () => {
  db = await createTestDatabase('dispatchretry');
  broker = await createTestBroker('dispatchretry');
});

afterAll(async () => {
  await broker?.cleanup();
  await db?.drop();
});

async function storedMessage(origin: string) {
  return prisma().message.create({
    data: {
      sourceQueue: 'dlq', fingerprint: Uint8Array.from([1]), originQueue: origin, reason: 'rejected', routingKeys: [origin], deathCount: 1,
      size: 2, isLarge: false, body: Uint8Array.from(Buffer.from('{}')), properties: {}, headers: {}, xDeath: [], deliveryExchange: '',
      deliveryRoutingKey: 'dlq',
    },
  });
}

it('keeps an intent pending while the broker is down and publishes it once it is back', async () => {
  const work = await broker.queue('work');
  const m = await storedMessage(work);
  await replayMessage({ actor: operator, id: m.id.toString(), version: 1, input: { version: 1 } });

  const down = runDispatcher({ rabbitUrl: 'amqp://guest:guest@127.0.0.1:1', databaseUrl: db.url, leaseMs: 5000, batch: 10, pollMs: 100 });
  await new Promise((r) => setTimeout(r, 1500));
  await down.stop();
  expect(await prisma().dispatch.findFirstOrThrow({ where: { messageId: m.id } })).toMatchObject({ state: 'pending', attempts: 0 });
  expect((await prisma().message.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('replaying');

  const up = runDispatcher({ rabbitUrl: TEST_RABBITMQ_URL, databaseUrl: db.url, leaseMs: 5000, batch: 10, pollMs: 100 });
  try {
    await waitFor(async () => (await prisma().message.findUniqueOrThrow({ where: { id: m.id } })).status === 'replayed', { what: 'the replay to be published' });
  } finally {
    await up.stop();
  }
  expect(await broker.messageCount(work)).toBe(1);
  expect(await prisma().dispatch.findFirstOrThrow({ where: { messageId: m.id } })).toMatchObject({ state: 'published', attempts: 1 });
});

it('schedules a retry with backoff when a publish got no answer, and ignores an outcome whose lease was lost', async () => {
  const m = await storedMessage(broker.name('retry'));
  await replayMessage({ actor: operator, id: m.id.toString(), version: 1, input: { version: 1 } });
  const [claimed] = await claimDispatches({ limit: 10, leaseMs: 60_000 });
  expect(claimed).toMatchObject({ messageId: m.id, attempts: 1 });
  // Leased: nobody else may claim it meanwhile.
  expect(await claimDispatches({ limit: 10, leaseMs: 60_000 })).toEqual([]);

  await recordDispatchOutcomes([{ dispatch: claimed!, outcome: { state: 'retry', error: 'channel closed' } }]);
  const after = await prisma().dispatch.findUniqueOrThrow({ where: { id: claimed!.id } });
  expect(after).toMatchObject({ state: 'pending', leaseUntil: null, lastError: 'channel closed', attempts: 1 });
  expect(after.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 500);
  expect(await prisma().auditEvent.findFirstOrThrow({ where: { messageId: m.id, action: 'dispatch.retrying' } }))
    .toMatchObject({ actor: 'system:worker', result: expect.stringMatching(/attempt 1 failed: channel closed; retrying in 1 s/) });
  expect(await claimDispatches({ limit: 10, leaseMs: 60_000 })).toEqual([]); // not due yet

  // A late outcome from a dispatcher whose lease ran out (the row was claimed again since) is dropped.
  await prisma().dispatch.update({ where: { id: claimed!.id }, data: { nextAttemptAt: new Date(0) } });
  const [again] = await claimDispatches({ limit: 10, leaseMs: 60_000 });
  expect(again!.attempts).toBe(2);
  await recordDispatchOutcomes([{ dispatch: claimed!, outcome: { state: 'published' } }]);
  expect(await prisma().dispatch.findUniqueOrThrow({ where: { id: claimed!.id } })).toMatchObject({ state: 'pending', attempts: 2 });
  await recordDispatchOutcomes([{ dispatch: again!, outcome: { state: 'failed', result: 'nacked by the broker' } }]);
  expect(await prisma().dispatch.findUniqueOrThrow({ where: { id: claimed!.id } })).toMatchObject({ state: 'failed', lastError: 'nacked by the broker' });
  expect((await prisma().message.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('failed');
});

it('publishes production first and within its lease while a sandbox broker never answers', async () => {
  // Accepts TCP connections and never speaks AMQP: a sandbox behind a dead load balancer.
  const silent = net.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  await prisma().sandbox.create({ data: { name: 'silent', url: `amqp://guest:guest@127.0.0.1:${port}` } });
  const work = await broker.queue('lease');
  const toSandbox = await storedMessage(work);
  const toProduction = await storedMessage(work);
  await replayMessage({ actor: operator, id: toSandbox.id.toString(), version: 1, input: { version: 1, sandbox: 'silent' } });
  await replayMessage({ actor: operator, id: toProduction.id.toString(), version: 1, input: { version: 1 } });

  // Two replicas, a short lease: a batch that overran it would let the other publish again.
  const dispatchers = [1, 2].map(() => runDispatcher({ rabbitUrl: TEST_RABBITMQ_URL, databaseUrl: db.url, leaseMs: 6000, batch: 10, pollMs: 100 }));
  try {
    await waitFor(async () => (await prisma().message.findUniqueOrThrow({ where: { id: toProduction.id } })).status === 'replayed', { timeoutMs: 5000, what: 'the production replay' });
    await new Promise((r) => setTimeout(r, 9000));
    expect(await broker.messageCount(work)).toBe(1);
    const sandboxDispatch = await prisma().dispatch.findFirstOrThrow({ where: { messageId: toSandbox.id } });
    expect(sandboxDispatch.state).toBe('pending');
    expect(sandboxDispatch.lastError).toMatch(/cannot reach sandbox silent/);
  } finally {
    await Promise.all(dispatchers.map((d) => d.stop()));
    silent.close();
  }
}, 30_000);

it('does not publish again when recording a confirmed outcome fails once', async () => {
  const work = await broker.queue('record-fails');
  const m = await storedMessage(work);
  await replayMessage({ actor: operator, id: m.id.toString(), version: 1, input: { version: 1 } });
  // A sequence, not a table: nextval survives the rollback the failure causes.
  await prisma().$executeRawUnsafe(`CREATE SEQUENCE fail_once`);
  await prisma().$executeRawUnsafe(`
    CREATE FUNCTION fail_published_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.action = 'dispatch.published' AND nextval('fail_once') = 1 THEN
        RAISE EXCEPTION 'database hiccup';
      END IF;
      RETURN NEW;
    END $$`);
  await prisma().$executeRawUnsafe(`CREATE TRIGGER fail_published_once BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_published_once()`);
  const d = runDispatcher({ rabbitUrl: TEST_RABBITMQ_URL, databaseUrl: db.url, leaseMs: 3000, batch: 10, pollMs: 100 });
  try {
    await waitFor(async () => (await prisma().message.findUniqueOrThrow({ where: { id: m.id } })).status === 'replayed', { what: 'the replay to be recorded' });
    await new Promise((r) => setTimeout(r, 4000)); // past the lease: nothing is published again
    expect(await broker.messageCount(work)).toBe(1);
    expect(await prisma().dispatch.findFirstOrThrow({ where: { messageId: m.id } })).toMatchObject({ state: 'published', attempts: 1 });
  } finally {
    await d.stop();
    await prisma().$executeRawUnsafe('DROP TRIGGER fail_published_once ON audit_events');
  }
}, 30_000);
