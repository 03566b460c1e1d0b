import { randomBytes } from 'node:crypto';
import type { ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { HEADER } from '../dispatch/console-headers';
import { runDispatcher, type TDispatcher } from '../dispatch/run-dispatcher';
import { addSources } from '../sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { createUser } from '../users/create-user';
import type { TPeriodic } from '../worker/run-periodic';
import { createJob } from './create-job';
import { getJob } from './get-job';
import { insertDeadLetters } from './job-fixture';
import { ZJobRequest } from './job-input';
import { outboxLimit } from './outbox-backlog';
import { startJobRunner } from './run-jobs';

// A job's rate is what reaches the target queue. While nothing publishes (the broker is
// away, or no dispatcher keeps up), a paced replay stops once its outbox rows pass
// outboxLimit(rate), instead of writing on at its rate and leaving the dispatcher a burst
// to publish at full speed when it comes back. A discard publishes nothing and is not held.

const SYSTEM: TActor = { kind: 'system', name: 'cli' };
const RATE = 200;
const TOTAL = 1000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let runner: TPeriodic | undefined;
let dispatcher: TDispatcher | undefined;
let alice: TActor;
let dlq: string;

beforeAll(async () => {
  db = await createTestDatabase('job_outbox_hold');
  broker = await createTestBroker('job_outbox_hold');
  dlq = await broker.queue('dlq');
  await addSources({ actor: SYSTEM, queues: [dlq] });
  await prisma().settings.update({ where: { id: true }, data: { approvalThreshold: 100_000 } });
  const email = `operator-${randomBytes(3).toString('hex')}@example.com`;
  const user = await createUser({ actor: SYSTEM, email, password: `pw-${randomBytes(8).toString('hex')}`, role: 'operator' });
  alice = { kind: 'user', id: user.id, email, role: 'operator' };
  runner = startJobRunner({ pollMs: 100, leaseMs: 5000 });
}, 60_000);

afterAll(async () => {
  await runner?.stop();
  await dispatcher?.stop();
  await broker?.cleanup();
  await db?.drop();
});

const job = (id: string) => getJob({ actor: alice, id });

it('holds a paced replay while its outbox rows go unpublished, then finishes it once they are, each message published once', async () => {
  const limit = outboxLimit('replay', RATE)!;
  expect(limit).toBeLessThan(TOTAL / 2);
  const work = await broker.queue('work');
  await insertDeadLetters(TOTAL, { source: dlq, origin: work });
  const { job: created } = await createJob({
    actor: alice,
    input: ZJobRequest.parse({ action: 'replay', selection: { filters: { origin: work } }, ratePerSecond: RATE, reason: 'consumer fixed' }),
  });

  // No dispatcher yet: the job stops near the limit. At its rate it would have done all
  // 1,000 in 5 s; it is given 4 s past the limit.
  await waitFor(async () => ((await job(created.id)).done >= limit ? true : undefined), { timeoutMs: 20_000, intervalMs: 100, what: `the job to reach ${limit}` });
  await new Promise((r) => setTimeout(r, 4000));
  const held = await job(created.id);
  expect(held.status).toBe('running');
  // The outbox is read every 250 ms, and the read takes time under load: up to half a second
  // at the rate may pass the limit, plus the two batches in flight (100 ms of the rate each).
  expect(held.done).toBeLessThanOrEqual(limit + RATE / 2 + 2 * (RATE / 10));
  expect(await prisma().dispatch.count({ where: { state: 'pending' } })).toBe(held.done);
  // The API says so, for the job page's notice: due rows counted up to the limit + 1.
  expect(held.heldByOutbox).toEqual({ due: limit + 1, limit });

  // A dispatcher starts: the backlog goes out, the job goes on and completes.
  const seen = new Map<string, number>();
  const channel = await broker.connection.createChannel();
  await channel.consume(work, (m: ConsumeMessage | null) => {
    if (!m) return;
    const id = String(m.properties.headers?.[HEADER.originalMessageId]);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }, { noAck: true });
  dispatcher = runDispatcher({ rabbitUrl: TEST_RABBITMQ_URL, databaseUrl: db.url, leaseMs: 10_000, batch: 100, pollMs: 100 });
  const done = await waitFor(async () => {
    const j = await job(created.id);
    return j.status === 'completed' ? j : undefined;
  }, { timeoutMs: 60_000, intervalMs: 200, what: 'the job to complete once its outbox drains' });
  expect(done).toMatchObject({ done: TOTAL, failed: 0, heldByOutbox: null });
  await waitFor(async () => (seen.size >= TOTAL ? true : undefined), { timeoutMs: 30_000, what: `${TOTAL} arrivals` });
  await new Promise((r) => setTimeout(r, 300));
  expect(seen.size).toBe(TOTAL);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  await channel.close();
}, 120_000);

it('does not hold a discard, which publishes nothing, and a held job leaves the replica to it', async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
  const limit = outboxLimit('replay', RATE)!;
  // A backlog over the limit, from a replay job the stopped dispatcher cannot publish.
  const work = await broker.queue('backlog');
  await insertDeadLetters(limit + 400, { source: dlq, origin: work });
  const { job: replay } = await createJob({
    actor: alice,
    input: ZJobRequest.parse({ action: 'replay', selection: { filters: { origin: work } }, ratePerSecond: RATE, reason: 'backlog' }),
  });
  await waitFor(async () => ((await prisma().dispatch.count({ where: { state: 'pending' } })) > limit ? true : undefined), { timeoutMs: 20_000, what: 'a backlog over the limit' });

  const gone = await broker.queue('gone');
  await insertDeadLetters(300, { source: dlq, origin: gone });
  const { job: discard } = await createJob({
    actor: alice,
    input: ZJobRequest.parse({ action: 'discard', selection: { filters: { origin: gone } }, ratePerSecond: RATE, reason: 'obsolete' }),
  });
  const finished = await waitFor(async () => {
    const j = await job(discard.id);
    return j.status === 'completed' ? j : undefined;
  }, { timeoutMs: 8000, intervalMs: 200, what: 'the discard to complete beside the backlog, at its rate, not after the held job\'s 10 s slice' });
  expect(finished).toMatchObject({ done: 300, heldByOutbox: null });
  expect(await prisma().dispatch.count({ where: { state: 'pending' } })).toBeGreaterThan(limit);
  expect(await job(replay.id)).toMatchObject({ status: 'running', heldByOutbox: { due: limit + 1, limit } });
}, 60_000);
