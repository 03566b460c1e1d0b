import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { verifyAuditChain } from '../audit/verify-audit-chain';
import { prisma } from '../db/prisma';
import { setContract } from '../contracts/set-contract';
import { replayMessage } from '../messages/replay-message';
import { createTestDatabase } from '../testing/test-database';
import { actOnJobBatch } from './act-on-job-batch';
import { actOnJobItem, type TJobRun } from './act-on-job-item';
import { insertDeadLetters } from './job-fixture';

// A batch of a job's items in one transaction (act-on-job-batch.ts) against the real
// PostgreSQL: what one item at a time would do, message by message. A message acted on
// meanwhile or out of the requester's scope fails alone; a rerun after the commit answers
// from the keys without acting again; a batch that cannot commit leaves nothing behind.

const SYSTEM: TActor = { kind: 'system', name: 'cli' };
const scoped: TActor = { kind: 'token', id: randomUUID(), name: 'team-a', role: 'operator', scope: { teamIds: [], origins: ['orders'], sources: [] } };
let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  db = await createTestDatabase('jobbatch');
});
afterAll(async () => {
  await db?.drop();
});

const run = (actor: TActor, kind: TJobRun['kind'] = 'replay'): TJobRun => ({ jobId: randomUUID(), kind, input: { reason: 'consumer fixed' }, actor });
const dispatchesOf = (ids: bigint[]) => prisma().dispatch.findMany({ where: { messageId: { in: ids } }, orderBy: { messageId: 'asc' } });
const eventsOf = (ids: bigint[]) => prisma().auditEvent.findMany({ where: { messageId: { in: ids } }, orderBy: { id: 'asc' } });

describe('a batch of replays', () => {
  it('acts on each message as one item would, and fails alone one acted on meanwhile or out of scope', async () => {
    const ids = await insertDeadLetters(6, { source: 'orders.dlq', origin: 'orders' });
    const [other] = await insertDeadLetters(1, { source: 'billing.dlq', origin: 'billing' });
    // Replayed by an operator before the job's turn came: its publish is in flight.
    await replayMessage({ actor: SYSTEM, id: String(ids[2]), version: 1, input: { version: 1 } });
    const job = run(scoped);
    const outcomes = await actOnJobBatch(job, [...ids, other!]);

    expect(outcomes.get(ids[2]!)).toEqual({ state: 'failed', error: `Cannot replay message ${ids[2]} while its publish is in flight (replaying); wait for the outcome` });
    expect(outcomes.get(other!)).toEqual({ state: 'failed', error: `No message with id ${other}` });
    const acted = ids.filter((_, i) => i !== 2);
    for (const id of acted) expect(outcomes.get(id)).toMatchObject({ state: 'done', actionId: expect.any(String) });

    const dispatches = await dispatchesOf(acted);
    expect(dispatches.map((d) => d.messageId)).toEqual(acted);
    for (const d of dispatches) {
      expect(d).toMatchObject({ kind: 'replay', exchange: '', routingKey: 'orders', state: 'pending', replayCount: 1, actor: 'token:team-a', reason: 'consumer fixed', revisionId: null });
      expect(d.actionId).toBe((outcomes.get(d.messageId) as { actionId: string }).actionId);
    }
    const messages = await prisma().message.findMany({ where: { id: { in: [...ids, other!] } }, orderBy: { id: 'asc' } });
    expect(messages.map((m) => [m.status, m.version])).toEqual([
      ['replaying', 2], ['replaying', 2], ['replaying', 2], ['replaying', 2], ['replaying', 2], ['replaying', 2], ['new', 1],
    ]);
    const events = (await eventsOf(acted)).filter((e) => e.actor === 'token:team-a');
    expect(events.map((e) => e.messageId)).toEqual(acted);
    for (const e of events) {
      const d = dispatches.find((x) => x.messageId === e.messageId)!;
      expect(e).toMatchObject({ action: 'message.replay_requested', subject: `message:${e.messageId}`, target: 'queue orders', outcome: 'pending', sourceQueue: 'orders.dlq', originQueue: 'orders' });
      expect(e.before).toEqual({ status: 'new', version: 1 });
      expect(e.after).toEqual({ status: 'replaying', version: 2, revision: 0, actionId: d.actionId, dispatchIds: [d.id], job: job.jobId });
    }
    // Keys of the refused messages were given back; the others hold their answers.
    const keys = await prisma().idempotentRequest.findMany({ where: { key: { startsWith: `job:${job.jobId}:` } } });
    expect(keys.map((k) => k.key).sort()).toEqual(acted.map((id) => `job:${job.jobId}:${id}`).sort());
    expect(keys.every((k) => k.status === 200)).toBe(true);
    expect(await verifyAuditChain({ actor: SYSTEM })).toMatchObject({ ok: true });
  });

  it('checks the origin\'s contract whenever the route ends at the origin queue, named or not', async () => {
    await setContract({ actor: SYSTEM, origin: 'guarded', schema: { type: 'object', required: ['customer'] } });
    const ids = await insertDeadLetters(3, { source: 'guarded.dlq', origin: 'guarded' });
    const routes = [undefined, { queue: 'guarded' }, { exchange: '', routingKey: 'guarded' }];
    for (const [i, target] of routes.entries()) {
      const job: TJobRun = { ...run(SYSTEM), input: { reason: 'consumer fixed', ...(target ? { target } : {}) } };
      const outcome = (await actOnJobBatch(job, [ids[i]!])).get(ids[i]!);
      expect(outcome, JSON.stringify(target)).toMatchObject({ state: 'failed', error: expect.stringContaining('guarded') });
    }
    expect(await dispatchesOf(ids)).toEqual([]);
    // Elsewhere, the origin's contract does not apply.
    const elsewhere: TJobRun = { ...run(SYSTEM), input: { reason: 'to the parking queue', target: { queue: 'guarded.parking' } } };
    expect((await actOnJobBatch(elsewhere, [ids[0]!])).get(ids[0]!)).toMatchObject({ state: 'done' });
  });

  it('answers a rerun from its keys: nothing is acted on or audited twice, and a message refused before is acted on now', async () => {
    const ids = await insertDeadLetters(4, { source: 'orders.dlq', origin: 'orders' });
    await prisma().message.update({ where: { id: ids[1] }, data: { status: 'discarded', statusBeforeDiscard: 'new' } });
    const job = run(SYSTEM);
    const first = await actOnJobBatch(job, ids);
    expect(first.get(ids[1]!)).toEqual({ state: 'failed', error: `Message ${ids[1]} is discarded; restore it before you replay it` });
    const dispatches = await dispatchesOf(ids);
    const events = await eventsOf(ids);
    expect(dispatches).toHaveLength(3);

    // The outcomes were lost (a crash before the engine recorded them): the items run again.
    await prisma().message.update({ where: { id: ids[1] }, data: { status: 'new', statusBeforeDiscard: null } });
    const again = await actOnJobBatch(job, ids);
    for (const id of [ids[0]!, ids[2]!, ids[3]!]) expect(again.get(id)).toEqual(first.get(id));
    expect(again.get(ids[1]!)).toMatchObject({ state: 'done' });
    const after = await dispatchesOf(ids);
    expect(after).toHaveLength(4);
    expect(after.filter((d) => d.messageId !== ids[1])).toEqual(dispatches);
    expect((await eventsOf(ids)).length).toBe(events.length + 1);

    // One item at a time finds the same keys: the single path and the batch are one action.
    const single = await actOnJobItem(job, ids[0]!);
    expect(single).toEqual(first.get(ids[0]!));
    expect(await dispatchesOf(ids)).toHaveLength(4);
  });

  it('leaves nothing behind when the batch cannot commit, and runs whole the next time', async () => {
    const ids = await insertDeadLetters(5, { source: 'orders.dlq', origin: 'orders' });
    const job = run(SYSTEM);
    await prisma().$executeRawUnsafe(`
      CREATE FUNCTION refuse_batch_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$`);
    await prisma().$executeRawUnsafe(`CREATE TRIGGER refuse_batch_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_batch_audit()`);
    try {
      await expect(actOnJobBatch(job, ids)).rejects.toThrow(/audit store unavailable/);
    } finally {
      await prisma().$executeRawUnsafe('DROP TRIGGER refuse_batch_audit ON audit_events');
      await prisma().$executeRawUnsafe('DROP FUNCTION refuse_batch_audit()');
    }
    expect(await dispatchesOf(ids)).toHaveLength(0);
    expect(await eventsOf(ids)).toHaveLength(0);
    expect(await prisma().idempotentRequest.count({ where: { key: { startsWith: `job:${job.jobId}:` } } })).toBe(0);
    expect((await prisma().message.findMany({ where: { id: { in: ids } } })).every((m) => m.status === 'new' && m.version === 1)).toBe(true);

    const outcomes = await actOnJobBatch(job, ids);
    expect([...outcomes.values()].every((o) => o.state === 'done')).toBe(true);
    expect(await dispatchesOf(ids)).toHaveLength(5);
    expect(await eventsOf(ids)).toHaveLength(5);
  });

  it('counts earlier replays into each message\'s replay count', async () => {
    const [id] = await insertDeadLetters(1, { source: 'orders.dlq', origin: 'orders' });
    await prisma().message.update({ where: { id }, data: { replayCount: 2 } });
    await prisma().dispatch.create({ data: { id: randomUUID(), actionId: randomUUID(), messageId: id!, kind: 'replay', exchange: '', routingKey: 'orders', replayCount: 3, actor: 'x', state: 'published' } });
    await actOnJobBatch(run(SYSTEM), [id!]);
    const latest = await prisma().dispatch.findFirstOrThrow({ where: { messageId: id, state: 'pending' } });
    expect(latest.replayCount).toBe(4);
  });
});

describe('a batch of discards', () => {
  it('discards each message, remembering its status, and refuses one already discarded', async () => {
    const ids = await insertDeadLetters(3, { source: 'orders.dlq', origin: 'orders' });
    await prisma().message.update({ where: { id: ids[0] }, data: { status: 'discarded', statusBeforeDiscard: 'new' } });
    await prisma().message.update({ where: { id: ids[1] }, data: { status: 'failed' } });
    const job = run(SYSTEM, 'discard');
    const outcomes = await actOnJobBatch(job, ids);
    expect(outcomes.get(ids[0]!)).toEqual({ state: 'failed', error: `Message ${ids[0]} is already discarded` });
    expect(outcomes.get(ids[1]!)).toEqual({ state: 'done', actionId: null });
    const messages = await prisma().message.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    expect(messages.map((m) => [m.status, m.statusBeforeDiscard, m.version])).toEqual([['discarded', 'new', 1], ['discarded', 'failed', 2], ['discarded', 'new', 2]]);
    const events = await eventsOf(ids);
    expect(events.map((e) => [e.messageId, e.action, e.after])).toEqual([
      [ids[1], 'message.discarded', { status: 'discarded', version: 2, job: job.jobId }],
      [ids[2], 'message.discarded', { status: 'discarded', version: 2, job: job.jobId }],
    ]);
    expect(await dispatchesOf(ids)).toHaveLength(0);
  });
});
