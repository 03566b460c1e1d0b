import { execFileSync } from 'node:child_process';
import amqp, { type GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { isPendingApproval, type TPendingApproval } from '../approvals/approval-kinds';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { discardMessage } from '../messages/discard-message';
import { editMessage } from '../messages/edit-message';
import { getMessage } from '../messages/get-message';
import { getMessageTimeline } from '../messages/get-message-timeline';
import { redirectMessage } from '../messages/redirect-message';
import { replayMessage } from '../messages/replay-message';
import { restoreMessage } from '../messages/restore-message';
import { addSources } from '../sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { runWorker, type TWorker } from '../worker/run-worker';
import { HEADER } from './console-headers';
import { runDispatcher, type TDispatcher } from './run-dispatcher';

// Operator actions against the real PostgreSQL and RabbitMQ: the worker ingests what the
// broker dead-letters, the dispatcher publishes what operators ask for.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let worker: TWorker;
let dispatcher: TDispatcher;
let dlx: string;
let dlq: string;

const operator: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', email: 'oncall@example.com', role: 'operator' };
const viewer: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000002', email: 'viewer@example.com', role: 'viewer' };
const supportLead: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000003', email: 'lead@example.com', role: 'support_lead' };

beforeAll(async () => {
  db = await createTestDatabase('dispatch');
  broker = await createTestBroker('dispatch');
  dlx = await broker.exchange('dlx', 'fanout');
  dlq = await broker.queue('dlq');
  await broker.channel.bindQueue(dlq, dlx, '');
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
  worker = runWorker({ rabbitUrl: TEST_RABBITMQ_URL, refreshMs: 200, prefetch: 100, batchSize: 50, batchWaitMs: 20, largeBodyBytes: 1024 * 1024 });
  dispatcher = runDispatcher({ rabbitUrl: TEST_RABBITMQ_URL, databaseUrl: db.url, leaseMs: 10_000, batch: 50, pollMs: 200 });
  await Promise.all([worker.ready, dispatcher.ready]);
});

afterAll(async () => {
  await dispatcher?.stop();
  await worker?.stop();
  await broker?.cleanup();
  await db?.drop();
});

/** Takes the one message waiting in a queue (rejecting it dead-letters it to the source). */
async function take(queue: string): Promise<GetMessage> {
  return waitFor(async () => (await broker.channel.get(queue, { noAck: false })) || undefined, { what: `a message in ${queue}` });
}

async function drain(queue: string): Promise<GetMessage[]> {
  const out: GetMessage[] = [];
  for (;;) {
    const m = await broker.channel.get(queue, { noAck: true });
    if (!m) return out;
    out.push(m);
  }
}

/** Publishes to `work`, rejects it there, and waits until the console stored it. */
async function deadLetter(work: string, body: string, options: Parameters<TTestBroker['channel']['sendToQueue']>[2] = {}) {
  broker.channel.sendToQueue(work, Buffer.from(body), { contentType: 'application/json', ...options });
  broker.channel.nack(await take(work), false, false);
  return stored(work);
}

async function stored(origin: string, n = 1) {
  const rows = await waitFor(async () => {
    const found = await prisma().message.findMany({ where: { originQueue: origin }, orderBy: { id: 'asc' } });
    return found.length >= n ? found : undefined;
  }, { what: `${n} stored message(s) from ${origin}` });
  return rows[n - 1]!;
}

async function settled(id: bigint) {
  return waitFor(async () => {
    const m = await prisma().message.findUniqueOrThrow({ where: { id } });
    return m.status !== 'replaying' && m.status !== 'redirecting' ? m : undefined;
  }, { what: `message ${id} to settle` });
}

async function workQueue(suffix: string) {
  return broker.queue(suffix, { deadLetterExchange: dlx });
}

/** No source here is protected: an action acts at once instead of waiting for approval. */
function published<T extends object>({ result }: { result: T }): Exclude<T, TPendingApproval> {
  if (isPendingApproval(result)) throw new Error('the action was sent for approval');
  return result as Exclude<T, TPendingApproval>;
}

async function expectAppError(promise: Promise<unknown>, code: AppError['code'], message?: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

describe('replay', () => {
  it('reaches only the origin queue, once, when the message came through a fan-out exchange', async () => {
    const fanout = await broker.exchange('fanout', 'fanout');
    const q1 = await workQueue('fan1');
    const q2 = await broker.queue('fan2');
    const q3 = await broker.queue('fan3');
    for (const q of [q1, q2, q3]) await broker.channel.bindQueue(q, fanout, '');
    broker.channel.publish(fanout, '', Buffer.from('{"order":1}'), {
      contentType: 'application/json', messageId: 'fan-1', userId: 'guest',
      headers: { when: { '!': 'timestamp', value: 1_700_000_000 }, raw: Buffer.from([0, 1, 255]), dec: { '!': 'decimal', value: { places: 2, digits: 150 } }, n: 7 },
    });
    await drain(q2);
    await drain(q3);
    broker.channel.nack(await take(q1), false, false);
    const row = await stored(q1);

    const result = published(await replayMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version, reason: 'consumer fixed' } }));
    expect(result.dispatches).toHaveLength(1);
    expect((await settled(row.id)).status).toBe('replayed');

    const [replayed, ...more] = await drain(q1);
    expect(more).toHaveLength(0);
    expect(await drain(q2)).toHaveLength(0);
    expect(await drain(q3)).toHaveLength(0);
    expect(replayed!.content.toString()).toBe('{"order":1}');
    expect(replayed!.fields.exchange).toBe('');
    const headers = replayed!.properties.headers!;
    expect(headers['x-death']).toBeUndefined();
    expect(headers['x-first-death-queue']).toBeUndefined();
    expect(headers[HEADER.replayId]).toBe(result.dispatches[0]!.id);
    expect(headers[HEADER.replayCount]).toBe(1);
    expect(headers[HEADER.originalMessageId]).toBe(row.id.toString());
    expect(headers.when).toEqual({ '!': 'timestamp', value: 1_700_000_000 });
    expect(Buffer.from(headers.raw as Buffer)).toEqual(Buffer.from([0, 1, 255]));
    expect(headers.dec).toEqual({ '!': 'decimal', value: { places: 2, digits: 150 } });
    expect(headers.n).toBe(7);
    expect(replayed!.properties).toMatchObject({ messageId: 'fan-1', contentType: 'application/json' });
    expect(replayed!.properties.userId).toBeUndefined();

    const events = await prisma().auditEvent.findMany({ where: { messageId: row.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['message.replay_requested', 'user:oncall@example.com'],
      ['dispatch.published', 'system:worker'],
    ]);
    expect(events[0]).toMatchObject({ reason: 'consumer fixed', target: `queue ${q1}` });
    // The dispatcher passes the message's queues itself; they must be what the chain trigger would copy.
    expect(events[1]).toMatchObject({ sourceQueue: row.sourceQueue, originQueue: row.originQueue });
  });

  it('reports a replay to a queue that does not exist as failed, keeps the message, and audits why', async () => {
    const work = await workQueue('gone');
    const row = await deadLetter(work, '{"a":1}');
    const missing = broker.name('no-such-queue');
    await replayMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version, target: { queue: missing } } });
    const after = await settled(row.id);
    expect(after.status).toBe('failed');
    const dispatch = await prisma().dispatch.findFirstOrThrow({ where: { messageId: row.id } });
    expect(dispatch).toMatchObject({ state: 'failed', attempts: 1 });
    expect(dispatch.lastError).toMatch(/NO_ROUTE/);
    const failed = await prisma().auditEvent.findFirstOrThrow({ where: { messageId: row.id, action: 'dispatch.failed' } });
    expect(failed.result).toMatch(/returned by the broker: 312 NO_ROUTE/);
    expect(failed.target).toBe(`queue ${missing}`);
    expect(await prisma().message.count({ where: { id: row.id } })).toBe(1);

    // Failed is not final: replaying to the origin works.
    await replayMessage({ actor: operator, id: row.id.toString(), version: after.version, input: { version: after.version } });
    expect((await settled(row.id)).status).toBe('replayed');
    expect(await drain(work)).toHaveLength(1);
  });

  it('fails a publish to a missing exchange without disturbing the channel', async () => {
    const work = await workQueue('noexchange');
    const row = await deadLetter(work, '{}');
    await replayMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version, target: { exchange: broker.name('no-such-exchange'), routingKey: 'k' } } });
    expect((await settled(row.id)).status).toBe('failed');
    const d = await prisma().dispatch.findFirstOrThrow({ where: { messageId: row.id } });
    expect(d.lastError).toMatch(/does not exist/);
  });

  it('fails a publish the broker refuses by closing the channel, and publishes the rest of the batch once', async () => {
    const work = await workQueue('refused');
    const rows = [];
    for (let i = 0; i < 4; i++) {
      await deadLetter(work, `{"n":${i}}`);
      rows.push(await stored(work, i + 1));
    }
    await drain(work);
    // amq.rabbitmq.trace exists but is internal: a publish to it is refused with 403 and closes the channel.
    const [bad, ...good] = rows;
    await replayMessage({ actor: operator, id: bad!.id.toString(), version: bad!.version, input: { version: bad!.version, target: { exchange: 'amq.rabbitmq.trace', routingKey: 'x' } } });
    for (const r of good) await replayMessage({ actor: operator, id: r!.id.toString(), version: r!.version, input: { version: r!.version } });
    expect((await settled(bad!.id)).status).toBe('failed');
    for (const r of good) expect((await settled(r!.id)).status).toBe('replayed');
    const d = await prisma().dispatch.findFirstOrThrow({ where: { messageId: bad!.id } });
    expect(d).toMatchObject({ state: 'failed', attempts: 1 });
    expect(d.lastError).toMatch(/refused by the broker: 403/);
    await new Promise((r) => setTimeout(r, 300));
    expect((await drain(work)).map((m) => m.content.toString()).sort()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('publishes once for 20 concurrent requests naming the same version', async () => {
    const work = await workQueue('concurrent');
    const row = await deadLetter(work, '{"n":20}');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => replayMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect((r.reason as AppError).code).toBe('CONFLICT');
    await settled(row.id);
    expect(await prisma().dispatch.count({ where: { messageId: row.id } })).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await drain(work)).toHaveLength(1);
  });

  it('answers a retried call with the same Idempotency-Key with the first answer, and refuses the key for another request', async () => {
    const work = await workQueue('idempotent');
    const row = await deadLetter(work, '{}');
    const call = () => replayMessage({ actor: operator, id: row.id.toString(), version: row.version, idempotencyKey: 'key-1', input: { version: row.version } });
    const [first, second] = await Promise.all([call(), call()]);
    expect(first.result).toEqual(second.result);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    await expectAppError(
      replayMessage({ actor: operator, id: row.id.toString(), version: row.version, idempotencyKey: 'key-1', input: { version: row.version, reason: 'different' } }),
      'CONFLICT', /Idempotency-Key/,
    );
    await settled(row.id);
    expect(await prisma().dispatch.count({ where: { messageId: row.id } })).toBe(1);
  });

  it('gives 409 with what changed to a stale version, and changes nothing', async () => {
    const work = await workQueue('stale');
    const row = await deadLetter(work, '{}');
    await discardMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version, reason: 'noise' } });
    const error = await expectAppError(
      replayMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version } }),
      'CONFLICT', /you saw version 1, it is now 2, discarded.*discarded by user:oncall@example.com/,
    );
    expect(error.details).toMatchObject({ current: { version: 2, status: 'discarded' }, changes: [{ action: 'message.discarded', reason: 'noise' }] });
    expect(await prisma().dispatch.count({ where: { messageId: row.id } })).toBe(0);
  });

  it('links a replay that dead-letters again to the dispatch it came from', async () => {
    const work = await workQueue('redeath');
    const row = await deadLetter(work, '{"still":"broken"}');
    const result = published(await replayMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version } }));
    await settled(row.id);
    broker.channel.nack(await take(work), false, false);
    const again = await stored(work, 2);
    expect(again).toMatchObject({ replayId: result.dispatches[0]!.id, originalMessageId: row.id, replayCount: 1 });
    const detail = await getMessage({ actor: viewer, id: again.id.toString() });
    expect(detail.replayOf).toBe(row.id.toString());
    const timeline = await getMessageTimeline({ actor: viewer, id: row.id.toString() });
    expect(timeline.items.map((i) => (i.kind === 'audit' ? i.action : i.kind))).toEqual([
      'ingested', 'message.replay_requested', 'dispatch.published', 'redeath',
    ]);

    // The second replay counts the whole lineage.
    const second = published(await replayMessage({ actor: operator, id: again.id.toString(), version: again.version, input: { version: again.version } }));
    await settled(again.id);
    const [m] = await drain(work);
    expect(m!.properties.headers).toMatchObject({ [HEADER.replayId]: second.dispatches[0]!.id, [HEADER.replayCount]: 2, [HEADER.originalMessageId]: row.id.toString() });
  });

  it('refuses a viewer', async () => {
    const work = await workQueue('viewer');
    const row = await deadLetter(work, '{}');
    await expectAppError(replayMessage({ actor: viewer, id: row.id.toString(), version: row.version, input: { version: row.version } }), 'FORBIDDEN');
  });
});

describe('edit', () => {
  it('saves a revision and replays it, while the bytes that arrived stay as they were', async () => {
    const work = await workQueue('edit');
    const row = await deadLetter(work, '{"amount":"12"}', { headers: { tenant: 'a' } });
    const { result } = await editMessage({
      actor: operator, id: row.id.toString(), version: row.version, reason: 'amount must be a number',
      input: { version: row.version, body: { encoding: 'utf8', data: '{"amount":12}' }, headers: { tenant: 'b', at: { '!': 'timestamp', value: 5 } }, reason: 'amount must be a number' },
    });
    expect(result.revision.number).toBe(1);
    const edited = await prisma().message.findUniqueOrThrow({ where: { id: row.id }, omit: { body: false } });
    expect(Buffer.from(edited.body).toString()).toBe('{"amount":"12"}');
    expect(edited).toMatchObject({ status: 'edited', version: 2 });
    await replayMessage({ actor: operator, id: row.id.toString(), version: 2, input: { version: 2 } });
    await settled(row.id);
    const [m] = await drain(work);
    expect(m!.content.toString()).toBe('{"amount":12}');
    expect(m!.properties.headers).toMatchObject({ tenant: 'b', at: { '!': 'timestamp', value: 5 }, [HEADER.revision]: 1 });
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { messageId: row.id, action: 'message.edited' } });
    expect(audit.after).toMatchObject({ revision: 1, headers: { added: ['at'], changed: ['tenant'], removed: [] } });

    // Revision 0 is still there to replay.
    const v = (await prisma().message.findUniqueOrThrow({ where: { id: row.id } })).version;
    await replayMessage({ actor: operator, id: row.id.toString(), version: v, input: { version: v, revision: 0 } });
    await settled(row.id);
    expect((await drain(work))[0]!.content.toString()).toBe('{"amount":"12"}');
  });

  it('refuses invalid JSON with the line and column, and creates no revision', async () => {
    const work = await workQueue('badjson');
    const row = await deadLetter(work, '{}');
    await expectAppError(
      editMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version, body: { encoding: 'utf8', data: '{\n  "a": 1,\n}' }, headers: {} } }),
      'INVALID_INPUT', /not valid JSON.*line 3, column 1/,
    );
    await expectAppError(
      editMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version, body: { encoding: 'utf8', data: '{}' }, headers: { 'x-death': [] } } }),
      'INVALID_INPUT', /x-death/,
    );
    expect(await prisma().messageRevision.count({ where: { messageId: row.id } })).toBe(0);
    expect((await prisma().message.findUniqueOrThrow({ where: { id: row.id } })).version).toBe(1);
  });
});

describe('redirect', () => {
  it('sends one copy to each team, with headers that say where it came from and why', async () => {
    const billing = await broker.queue('team-billing');
    const identity = await broker.queue('team-identity');
    const teamX = await broker.exchange('team-x', 'direct');
    const viaExchange = await broker.queue('team-exchange');
    await broker.channel.bindQueue(viaExchange, teamX, 'owner');
    await prisma().team.createMany({
      data: [
        { name: 'billing', queue: billing },
        { name: 'identity', queue: identity },
        { name: 'platform', exchange: teamX, routingKey: 'owner' },
      ],
    });
    const work = await workQueue('redirect');
    const row = await deadLetter(work, '{"who":"owns this"}');

    await expectAppError(
      redirectMessage({ actor: supportLead, id: row.id.toString(), version: row.version, input: { version: row.version, team: 'no-such-team' } }),
      'INVALID_INPUT', /Unknown team "no-such-team"/,
    );
    await redirectMessage({ actor: supportLead, id: row.id.toString(), version: row.version, input: { version: row.version, allTeams: true, reason: 'unknown owner' } });
    expect((await settled(row.id)).status).toBe('redirected');
    for (const [q, team] of [[billing, 'billing'], [identity, 'identity'], [viaExchange, 'platform']] as const) {
      const got = await drain(q);
      expect(got).toHaveLength(1);
      expect(got[0]!.properties.headers).toMatchObject({
        [HEADER.redirectedFrom]: work, [HEADER.team]: team, [HEADER.redirectReason]: 'unknown owner', [HEADER.deathReason]: 'rejected',
      });
    }
    expect(await drain(work)).toHaveLength(0);
    const requested = await prisma().auditEvent.findFirstOrThrow({ where: { messageId: row.id, action: 'message.redirect_requested' } });
    expect(requested.target).toBe('all teams (3): billing, identity, platform');
  });

  it('marks the message failed when one team of all cannot be reached', async () => {
    await prisma().team.create({ data: { name: 'ghost', queue: broker.name('no-such-team-queue') } });
    const work = await workQueue('redirect-fail');
    const row = await deadLetter(work, '{}');
    await redirectMessage({ actor: supportLead, id: row.id.toString(), version: row.version, input: { version: row.version, allTeams: true } });
    expect((await settled(row.id)).status).toBe('failed');
    const states = await prisma().dispatch.findMany({ where: { messageId: row.id }, select: { teamName: true, state: true } });
    expect(states.find((s) => s.teamName === 'ghost')?.state).toBe('failed');
    expect(states.filter((s) => s.state === 'published').length).toBe(states.length - 1);
    await prisma().team.delete({ where: { name: 'ghost' } });
  });
});

describe('sandbox replay', () => {
  it('publishes to the origin queue in the sandbox vhost, never production, without changing the status', async () => {
    // A vhost of its own on the same broker: the "another vhost" sandbox of the issue.
    const vhost = `${broker.prefix}.sandbox`;
    execFileSync('rabbitmqctl', ['add_vhost', vhost], { stdio: 'ignore' });
    try {
      execFileSync('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'], { stdio: 'ignore' });
      const url = new URL(TEST_RABBITMQ_URL);
      url.pathname = `/${encodeURIComponent(vhost)}`;
      const work = await workQueue('sandbox');
      const sandboxConnection = await amqp.connect(url.toString());
      const sandboxChannel = await sandboxConnection.createChannel();
      await sandboxChannel.assertQueue(work, { durable: false });
      await prisma().sandbox.create({ data: { name: 'staging', url: url.toString() } });

      const row = await deadLetter(work, '{"try":"fix"}');
      await replayMessage({ actor: operator, id: row.id.toString(), version: row.version, input: { version: row.version, sandbox: 'staging', reason: 'try the fix' } });
      const d = await waitFor(async () => (await prisma().dispatch.findFirst({ where: { messageId: row.id, state: { not: 'pending' } } })) ?? undefined, { what: 'the sandbox dispatch to settle' });
      expect(d).toMatchObject({ kind: 'sandbox', state: 'published', sandboxName: 'staging' });
      expect((await prisma().message.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('new');
      expect(await drain(work)).toHaveLength(0);
      const got = await sandboxChannel.get(work, { noAck: true });
      expect(got && got.content.toString()).toBe('{"try":"fix"}');
      const audit = await prisma().auditEvent.findFirstOrThrow({ where: { messageId: row.id, action: 'message.sandbox_replay_requested' } });
      expect(audit).toMatchObject({ reason: 'try the fix', target: `sandbox staging, queue ${work}` });
      expect(JSON.stringify({ ...audit, id: null, messageId: null })).not.toContain('guest:guest');
      await sandboxConnection.close();

      const v = (await prisma().message.findUniqueOrThrow({ where: { id: row.id } })).version;
      await expectAppError(
        replayMessage({ actor: operator, id: row.id.toString(), version: v, input: { version: v, sandbox: 'nope' } }),
        'INVALID_INPUT', /Unknown sandbox "nope"/,
      );
    } finally {
      execFileSync('rabbitmqctl', ['delete_vhost', vhost], { stdio: 'ignore' });
    }
  });
});

describe('discard and restore', () => {
  it('discards without publishing, refuses a replay until restored, and restores the status it had', async () => {
    const work = await workQueue('discard');
    const row = await deadLetter(work, '{}');
    await discardMessage({ actor: operator, id: row.id.toString(), version: 1, input: { version: 1 } });
    await expectAppError(replayMessage({ actor: operator, id: row.id.toString(), version: 2, input: { version: 2 } }), 'CONFLICT', /restore it/);
    await restoreMessage({ actor: operator, id: row.id.toString(), version: 2, input: { version: 2, reason: 'needed after all' } });
    expect(await prisma().message.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'new', version: 3 });
    expect(await drain(work)).toHaveLength(0);
  });

  it('changes nothing when its audit event cannot be written', async () => {
    const work = await workQueue('audit-fails');
    const row = await deadLetter(work, '{}');
    await prisma().$executeRawUnsafe(`
      CREATE FUNCTION refuse_discard_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'message.discarded' THEN RAISE EXCEPTION 'audit store refused'; END IF; RETURN NEW; END $$`);
    await prisma().$executeRawUnsafe(`CREATE TRIGGER refuse_discard_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_discard_audit()`);
    try {
      await expect(discardMessage({ actor: operator, id: row.id.toString(), version: 1, input: { version: 1 } })).rejects.toThrow(/audit store refused/);
      expect(await prisma().message.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'new', version: 1 });
    } finally {
      await prisma().$executeRawUnsafe('DROP TRIGGER refuse_discard_audit ON audit_events');
    }
  });
});

describe('contract check', () => {
  it('refuses an edit or a replay to the origin that breaks its contract, field by field, and allows other targets', async () => {
    const work = await workQueue('contract');
    const row = await deadLetter(work, '{"customerId":"c-1","amount":5}');
    await prisma().contract.create({
      data: {
        originQueue: work, updatedBy: 'user:admin@example.com',
        schema: { type: 'object', required: ['customer_id', 'amount'], properties: { customer_id: { type: 'string' }, amount: { type: 'number' } } },
      },
    });
    const replay = await expectAppError(
      replayMessage({ actor: operator, id: row.id.toString(), version: 1, input: { version: 1 } }),
      'INVALID_INPUT', /breaks the contract of .*customer_id/,
    );
    expect(replay.details).toMatchObject({ contract: work, violations: [expect.objectContaining({ path: '/customer_id' })] });

    const edit = await expectAppError(
      editMessage({ actor: operator, id: row.id.toString(), version: 1, input: { version: 1, body: { encoding: 'utf8', data: '{"customer_id":"c-1","amount":"5"}' }, headers: {} } }),
      'INVALID_INPUT', /contract/,
    );
    expect(edit.details).toMatchObject({ violations: [expect.objectContaining({ path: '/amount' })] });
    expect(await prisma().messageRevision.count({ where: { messageId: row.id } })).toBe(0);

    // The contract guards the origin only: another queue takes the body as it is.
    const other = await broker.queue('contract-other');
    await replayMessage({ actor: operator, id: row.id.toString(), version: 1, input: { version: 1, target: { queue: other } } });
    const v = (await settled(row.id)).version;
    expect(await drain(other)).toHaveLength(1);

    await editMessage({ actor: operator, id: row.id.toString(), version: v, input: { version: v, body: { encoding: 'utf8', data: '{"customer_id":"c-1","amount":5}' }, headers: {} } });
    await replayMessage({ actor: operator, id: row.id.toString(), version: v + 1, input: { version: v + 1 } });
    expect((await settled(row.id)).status).toBe('replayed');
    expect((await drain(work))[0]!.content.toString()).toBe('{"customer_id":"c-1","amount":5}');
  });
});
