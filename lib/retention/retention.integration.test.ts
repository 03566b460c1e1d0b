import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import type { TMessageStatus } from '../messages/message-dto';
import { createTestDatabase } from '../testing/test-database';
import { expireShortLivedRows } from './expire-short-lived-rows';
import { listRetentionPolicies } from './list-retention-policies';
import { purgeExpiredMessages } from './purge-expired-messages';
import { removeRetentionPolicy } from './remove-retention-policy';
import { setRetentionPolicy } from './set-retention-policy';

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };
const AUDITOR: TActor = { kind: 'user', id: 'u', email: 'auditor@example.com', role: 'auditor' };
const OPERATOR: TActor = { kind: 'user', id: 'o', email: 'op@example.com', role: 'operator' };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('retention'); });
afterAll(async () => db?.drop());

/** A stored message in `status` since `daysAgo` days. */
async function message(status: TMessageStatus, daysAgo: number, over: Partial<Prisma.MessageUncheckedCreateInput> = {}) {
  const m = await prisma().message.create({
    data: {
      sourceQueue: 'orders.dlq', fingerprint: randomBytes(8), originQueue: 'orders', reason: 'rejected', routingKeys: ['orders'], deathCount: 1,
      size: 2, isLarge: false, body: Buffer.from('{}'), properties: {}, headers: {}, xDeath: [], deliveryExchange: '', deliveryRoutingKey: 'orders.dlq',
      status, ...over,
    },
  });
  await prisma().$executeRaw`UPDATE messages SET status_changed_at = now() - make_interval(days => ${daysAgo}::int) WHERE id = ${m.id}`;
  return m.id;
}

const exists = async (ids: bigint[]) => (await prisma().message.findMany({ where: { id: { in: ids } }, select: { id: true }, orderBy: { id: 'asc' } })).map((m) => m.id);
const purgeAll = async (batchSize = 500) => { let total = 0; for (;;) { const r = await purgeExpiredMessages({ batchSize }); total += r.purged; if (!r.more) return total; } };

describe('retention policies', () => {
  it('are set, changed and removed by an admin, audited; read by auditors; refused to others and for bad input', async () => {
    await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status: 'discarded', days: 30 } });
    await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status: 'discarded', days: 30 } });
    await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: 'orders.dlq', status: 'discarded', days: null } });
    await removeRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: 'orders.dlq', status: 'discarded' } });
    const events = await prisma().auditEvent.findMany({ where: { action: { startsWith: 'retention_policy.' } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.subject, e.before, e.after])).toEqual([
      ['retention_policy.set', 'retention:*/discarded', null, { sourceQueue: '*', status: 'discarded', days: 30 }],
      ['retention_policy.set', 'retention:orders.dlq/discarded', null, { sourceQueue: 'orders.dlq', status: 'discarded', days: null }],
      ['retention_policy.removed', 'retention:orders.dlq/discarded', { sourceQueue: 'orders.dlq', status: 'discarded', days: null }, null],
    ]);
    expect((await listRetentionPolicies({ actor: AUDITOR })).policies).toEqual([expect.objectContaining({ sourceQueue: '*', status: 'discarded', days: 30 })]);

    const before = await prisma().auditEvent.count();
    const bad: [TActor, unknown, string][] = [
      [ADMIN, { sourceQueue: '*', status: 'replaying', days: 1 }, 'INVALID_INPUT'],
      [ADMIN, { sourceQueue: '*', status: 'discarded', days: 0 }, 'INVALID_INPUT'],
      [ADMIN, { sourceQueue: '*', status: 'discarded', days: 1.5 }, 'INVALID_INPUT'],
      [ADMIN, { sourceQueue: '', status: 'discarded', days: 1 }, 'INVALID_INPUT'],
      [ADMIN, { sourceQueue: '*', status: 'gone', days: 1 }, 'INVALID_INPUT'],
      [AUDITOR, { sourceQueue: '*', status: 'discarded', days: 1 }, 'FORBIDDEN'],
    ];
    for (const [actor, policy, code] of bad) await expect(setRetentionPolicy({ actor, policy: policy as never })).rejects.toMatchObject({ code });
    for (const status of ['new', 'edited', 'failed'] as const) {
      await expect(setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status: status as never, days: 30 } })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: `status ${status}: unresolved messages (new, edited, failed) are never purged; a policy is for replayed, redirected, discarded messages`,
      });
    }
    await expect(removeRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: 'x', status: 'replayed' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(listRetentionPolicies({ actor: OPERATOR })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await prisma().auditEvent.count()).toBe(before);
    await removeRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status: 'discarded' } });
  });
});

describe('purge', () => {
  it('deletes only what a policy lets go (a source override beats "*", null keeps), with revisions and dispatches, never audit events, and audits the counts', async () => {
    await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status: 'discarded', days: 30 } });
    await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status: 'replayed', days: 10 } });
    await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: 'keep.dlq', status: 'discarded', days: null } });
    await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: 'short.dlq', status: 'discarded', days: 2 } });

    const gone = [await message('discarded', 31), await message('replayed', 11), await message('discarded', 3, { sourceQueue: 'short.dlq' })];
    const kept = [
      await message('discarded', 29), await message('replayed', 9), await message('discarded', 400, { sourceQueue: 'keep.dlq' }),
      await message('new', 400), await message('edited', 400), await message('failed', 400), await message('redirected', 400),
      await message('discarded', 1, { sourceQueue: 'short.dlq' }),
    ];
    // A replayed message with its revision, dispatch and audit trail, as an operator leaves it.
    const revision = await prisma().messageRevision.create({ data: { messageId: gone[1]!, number: 1, body: Buffer.from('{"a":1}'), size: 7, headers: {}, author: 'user:op@example.com' } });
    await prisma().dispatch.create({
      data: { id: randomUUID(), actionId: randomUUID(), messageId: gone[1]!, kind: 'replay', revisionId: revision.id, exchange: '', routingKey: 'orders', replayCount: 1, actor: 'user:op@example.com', state: 'published', attempts: 1 },
    });
    await prisma().auditEvent.create({ data: { actor: 'user:op@example.com', action: 'message.replay_requested', messageId: gone[1]!, outcome: 'pending' } });
    const auditBefore = await prisma().auditEvent.count();

    expect(await purgeAll()).toBe(3);
    expect(await exists([...gone, ...kept])).toEqual(kept);
    expect(await prisma().messageRevision.count({ where: { messageId: gone[1]! } })).toBe(0);
    expect(await prisma().dispatch.count({ where: { messageId: gone[1]! } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { messageId: gone[1]! } })).toBe(1);
    expect(await prisma().auditEvent.count()).toBe(auditBefore + 1);
    const [event] = await prisma().auditEvent.findMany({ where: { action: 'retention.purged' } });
    expect(event).toMatchObject({
      actor: 'system:worker',
      after: {
        total: 3,
        counts: [
          { sourceQueue: 'orders.dlq', status: 'discarded', count: 1, policy: { sourceQueue: '*', days: 30 } },
          { sourceQueue: 'orders.dlq', status: 'replayed', count: 1, policy: { sourceQueue: '*', days: 10 } },
          { sourceQueue: 'short.dlq', status: 'discarded', count: 1, policy: { sourceQueue: 'short.dlq', days: 2 } },
        ],
      },
    });
    expect((await listRetentionPolicies({ actor: ADMIN })).lastPurges[0]).toMatchObject({ total: 3 });
    // Nothing left to purge: nothing recorded.
    expect(await purgeAll()).toBe(0);
    expect(await prisma().auditEvent.count()).toBe(auditBefore + 1);
    await prisma().message.deleteMany({ where: { id: { in: kept } } });
  });

  it('never deletes an unresolved message (new, edited, failed), even under a policy written before that was refused', async () => {
    await prisma().retentionPolicy.deleteMany({});
    for (const status of ['new', 'edited', 'failed', 'discarded'] as const) {
      await prisma().retentionPolicy.create({ data: { sourceQueue: '*', status, days: 1, updatedBy: 'user:old@example.com' } });
    }
    const unresolved = [await message('new', 5), await message('edited', 5), await message('failed', 5)];
    const resolved = await message('discarded', 5);
    expect(await purgeAll()).toBe(1);
    expect(await exists([...unresolved, resolved])).toEqual(unresolved);
    // Such a policy can still be removed.
    await removeRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status: 'failed' } });
    expect(await prisma().retentionPolicy.count({ where: { status: 'failed' } })).toBe(0);
    await prisma().retentionPolicy.deleteMany({});
    await prisma().message.deleteMany({ where: { id: { in: unresolved } } });
  });

  it('never deletes a message being published, named by an unfinished bulk job or by a request awaiting approval', async () => {
    await prisma().retentionPolicy.deleteMany({});
    for (const status of ['discarded', 'replayed'] as const) await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status, days: 1 } });
    const inJob = await message('discarded', 5);
    const inDoneJob = await message('discarded', 5);
    const inRequest = await message('replayed', 5);
    const inDecided = await message('replayed', 5);
    const publishing = [await message('replaying', 5), await message('redirecting', 5)];
    const job = (status: string) => prisma().bulkJob.create({
      data: { id: randomUUID(), kind: 'discard', status, input: {}, selection: {}, total: 1, ratePerSecond: 10, createdBy: 'x', createdByKey: 'x' },
    });
    const running = await job('paused');
    const done = await job('completed');
    await prisma().bulkJobItem.create({ data: { jobId: running.id, position: 0, messageId: inJob } });
    await prisma().bulkJobItem.create({ data: { jobId: done.id, position: 0, messageId: inDoneJob } });
    const request = (status: string, id: bigint) => prisma().approvalRequest.create({
      data: { id: randomUUID(), kind: 'discard', status, input: {}, messageIds: [id], grounds: ['protected'], requestedBy: 'x', requestedByKey: 'x' },
    });
    await request('pending', inRequest);
    await request('rejected', inDecided);
    expect(await purgeAll()).toBe(2);
    expect(await exists([inJob, inDoneJob, inRequest, inDecided, ...publishing])).toEqual([inJob, inRequest, ...publishing]);
  });

  it('deletes in batches of the given size, one audited transaction each; replicas purging at once count every row once', async () => {
    await prisma().retentionPolicy.deleteMany({});
    await setRetentionPolicy({ actor: ADMIN, policy: { sourceQueue: '*', status: 'discarded', days: 1 } });
    const ids = [];
    for (let i = 0; i < 45; i++) ids.push(await message('discarded', 2, { sourceQueue: i % 2 ? 'odd.dlq' : 'even.dlq' }));
    const eventsBefore = await prisma().auditEvent.count({ where: { action: 'retention.purged' } });
    const first = await purgeExpiredMessages({ batchSize: 10 });
    expect(first).toMatchObject({ purged: 10, more: true });
    const replicas = await Promise.all([purgeAll(4), purgeAll(4), purgeAll(4)]);
    expect(replicas.reduce((a, b) => a + b, 0)).toBe(35);
    expect(await exists(ids)).toEqual([]);
    const events = await prisma().auditEvent.findMany({ where: { action: 'retention.purged' }, orderBy: { id: 'asc' }, skip: eventsBefore });
    const totals = events.map((e) => (e.after as { total: number }).total);
    expect(totals[0]).toBe(10);
    expect(Math.max(...totals)).toBeLessThanOrEqual(10);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(45);
    const perSource = new Map<string, number>();
    for (const e of events) for (const c of (e.after as { counts: { sourceQueue: string; count: number }[] }).counts) perSource.set(c.sourceQueue, (perSource.get(c.sourceQueue) ?? 0) + c.count);
    expect(Object.fromEntries(perSource)).toEqual({ 'even.dlq': 23, 'odd.dlq': 22 });
  });
});

describe('short-lived rows', () => {
  it('expires idempotency answers past their TTL and login throttle windows that ended, in batches, keeping the rest', async () => {
    for (let i = 0; i < 5; i++) {
      await prisma().idempotentRequest.create({ data: { actor: 'user:x', key: `old-${i}`, requestHash: 'h', status: 200, response: {}, createdAt: new Date(Date.now() - 48 * 3600_000) } });
    }
    await prisma().idempotentRequest.create({ data: { actor: 'user:x', key: 'fresh', requestHash: 'h', status: 200, response: {} } });
    await prisma().loginThrottle.create({ data: { key: 'email:old', windowStart: new Date(Date.now() - 3600_000), failures: 3 } });
    await prisma().loginThrottle.create({ data: { key: 'email:live', windowStart: new Date(), failures: 3 } });
    const auditBefore = await prisma().auditEvent.count();
    expect(await expireShortLivedRows({ batchSize: 3, idempotencyTtlHours: 24, throttleWindowSeconds: 900 })).toEqual({ idempotentRequests: 3, loginThrottle: 1, more: true });
    expect(await expireShortLivedRows({ batchSize: 3, idempotencyTtlHours: 24, throttleWindowSeconds: 900 })).toEqual({ idempotentRequests: 2, loginThrottle: 0, more: false });
    expect((await prisma().idempotentRequest.findMany()).map((r) => r.key)).toEqual(['fresh']);
    expect((await prisma().loginThrottle.findMany()).map((r) => r.key)).toEqual(['email:live']);
    expect(await prisma().auditEvent.count()).toBe(auditBefore);
  });
});
