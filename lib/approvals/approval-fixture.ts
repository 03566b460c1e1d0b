import { randomBytes } from 'node:crypto';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { runDispatcher, type TDispatcher } from '../dispatch/run-dispatcher';
import type { TRole } from '../permissions/roles';
import { addSources } from '../sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { createUser } from '../users/create-user';
import { runWorker, type TWorker } from '../worker/run-worker';

// For the approval and bulk tests: a database, the broker, a worker that ingests what the
// broker dead-letters and a dispatcher that publishes what is acted on, two dead-letter
// sources (one protected), and real users (an approved request re-reads its requester).

const SYSTEM: TActor = { kind: 'system', name: 'cli' };

export type TApprovalFixture = Awaited<ReturnType<typeof startApprovalFixture>>;

export async function startApprovalFixture(label: string) {
  const db = await createTestDatabase(label);
  const broker: TTestBroker = await createTestBroker(label);
  const source = await deadLetterSource(broker, 'open');
  const protectedSource = await deadLetterSource(broker, 'guarded');
  await addSources({ actor: SYSTEM, queues: [source.dlq, protectedSource.dlq] });
  await prisma().source.update({ where: { queue: protectedSource.dlq }, data: { protected: true } });
  const worker: TWorker = runWorker({ rabbitUrl: TEST_RABBITMQ_URL, refreshMs: 200, prefetch: 200, batchSize: 50, batchWaitMs: 20, largeBodyBytes: 1024 * 1024 });
  const dispatcher: TDispatcher = runDispatcher({ rabbitUrl: TEST_RABBITMQ_URL, databaseUrl: db.url, leaseMs: 10_000, batch: 50, pollMs: 200 });
  await Promise.all([worker.ready, dispatcher.ready]);

  return {
    broker,
    source,
    protectedSource,
    /** A user in the database, as the actor a session would resolve to. */
    async user(role: TRole): Promise<Extract<TActor, { kind: 'user' }>> {
      const email = `${role}-${randomBytes(3).toString('hex')}@example.com`;
      const user = await createUser({ actor: SYSTEM, email, password: `pw-${randomBytes(8).toString('hex')}`, role });
      return { kind: 'user', id: user.id, email, role };
    },
    /** Dead-letters `n` messages from a new work queue through the given source; returns their stored rows, oldest first. */
    async deadLetters(n: number, { through = source, label: what = 'work' }: { through?: typeof source; label?: string } = {}) {
      const work = await broker.queue(`${what}-${randomBytes(2).toString('hex')}`, { deadLetterExchange: through.dlx });
      for (let i = 0; i < n; i++) broker.channel.sendToQueue(work, Buffer.from(JSON.stringify({ n: i })), { contentType: 'application/json' });
      for (let i = 0; i < n; i++) {
        const m = await waitFor(async () => (await broker.channel.get(work, { noAck: false })) || undefined, { what: `a message in ${work}` });
        broker.channel.nack(m, false, false);
      }
      const rows = await waitFor(async () => {
        const found = await prisma().message.findMany({ where: { originQueue: work }, orderBy: { id: 'asc' } });
        return found.length >= n ? found : undefined;
      }, { what: `${n} stored messages from ${work}` });
      return { work, rows, ids: rows.map((r) => r.id) };
    },
    async setThreshold(approvalThreshold: number) {
      await prisma().settings.update({ where: { id: true }, data: { approvalThreshold } });
    },
    async stop() {
      await dispatcher.stop();
      await worker.stop();
      await broker.cleanup();
      await db.drop();
    },
  };
}

async function deadLetterSource(broker: TTestBroker, name: string) {
  const dlx = await broker.exchange(`${name}-dlx`, 'fanout');
  const dlq = await broker.queue(`${name}-dlq`);
  await broker.channel.bindQueue(dlq, dlx, '');
  return { dlx, dlq };
}

/** Every message settled (its publish confirmed or failed), for the assertions after an execution. */
export async function settledStatuses(ids: bigint[]) {
  return waitFor(async () => {
    const rows = await prisma().message.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
    return rows.every((r) => r.status !== 'replaying' && r.status !== 'redirecting') ? rows.map((r) => r.status) : undefined;
  }, { what: 'the messages to settle', timeoutMs: 30_000 });
}
