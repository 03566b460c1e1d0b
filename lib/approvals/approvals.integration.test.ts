import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { editMessage } from '../messages/edit-message';
import { runBulkAction } from '../messages/bulk-action';
import { discardMessage } from '../messages/discard-message';
import { replayMessage } from '../messages/replay-message';
import { createApiToken } from '../tokens/create-api-token';
import { resolveApiToken } from '../tokens/resolve-api-token';
import { startApprovalFixture, settledStatuses, type TApprovalFixture } from './approval-fixture';
import { isPendingApproval, type TPendingApproval } from './approval-kinds';
import { cancelApproval } from './cancel-approval';
import { decideApproval } from './decide-approval';
import { getApproval } from './get-approval';
import { listApprovals } from './list-approvals';

// Four-eyes approval against the real PostgreSQL and RabbitMQ: what one person asks for
// waits until a second approves, then runs once, as the requester, and is audited.

// A crash in the middle of an execution: the replay of the n-th message throws something
// that is not a refusal (as a lost database would), which stops the run where it is.
const crash = vi.hoisted(() => ({ after: Number.POSITIVE_INFINITY, calls: 0 }));
vi.mock('../messages/replay-message', async (importOriginal) => {
  const real = await importOriginal<typeof import('../messages/replay-message')>();
  return {
    ...real,
    replayMessage: async (...args: Parameters<typeof real.replayMessage>) => {
      if (crash.calls++ >= crash.after) throw new Error('simulated crash');
      return real.replayMessage(...args);
    },
  };
});

let fx: TApprovalFixture;
type TUser = Extract<TActor, { kind: 'user' }>;
let alice: TUser; // operator, asks
let bob: TUser; // operator, approves
let carol: TUser; // operator, approves at the same time as bob
let viewer: TUser;
let lead: TUser; // support_lead: may redirect, not replay
let admin: TUser;

const THRESHOLD = 3;

beforeAll(async () => {
  fx = await startApprovalFixture('approvals');
  await fx.setThreshold(THRESHOLD);
  alice = await fx.user('operator');
  bob = await fx.user('operator');
  carol = await fx.user('operator');
  viewer = await fx.user('viewer');
  lead = await fx.user('support_lead');
  admin = await fx.user('admin');
}, 60_000);
afterAll(async () => fx?.stop());

async function expectAppError(promise: Promise<unknown>, code: AppError['code'], message?: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
}

async function bulkReplay(actor: TActor, ids: bigint[], reason = 'consumer fixed') {
  const { answer } = await runBulkAction({ actor, input: { action: 'replay', ids: ids.map(String), reason } });
  if (!isPendingApproval(answer)) throw new Error('expected the bulk replay to wait for approval');
  return answer.approval;
}

const dispatchCount = (ids: bigint[]) => prisma().dispatch.count({ where: { messageId: { in: ids } } });
const events = (id: string, action: string) => prisma().auditEvent.findMany({ where: { action, subject: `approval:${id}` }, orderBy: { id: 'asc' } });
const replayEvents = (ids: bigint[]) => prisma().auditEvent.findMany({ where: { action: 'message.replay_requested', messageId: { in: ids } }, orderBy: { id: 'asc' } });

describe('a bulk replay over the threshold', () => {
  it('counts a token as the person who created it: an admin cannot approve their own request with their token', async () => {
    const { ids } = await fx.deadLetters(THRESHOLD + 1);
    const approval = await bulkReplay(admin, ids);
    const created = await createApiToken({ actor: admin, name: `admin-helper-${approval.id.slice(0, 8)}`, role: 'admin' });
    const token = await resolveApiToken(created.token);
    await expectAppError(decideApproval({ actor: token!, id: approval.id, decision: 'approve' }), 'FORBIDDEN', /token you created/);
    expect((await getApproval({ actor: bob, id: approval.id })).status).toBe('pending');
    expect(await dispatchCount(ids)).toBe(0);
    await decideApproval({ actor: bob, id: approval.id, decision: 'reject', reason: 'not needed' });
  });

  it('waits for a second person, refuses self-approval, then replays every message exactly once as the requester', async () => {
    const { ids, rows } = await fx.deadLetters(THRESHOLD + 1);
    const approval = await bulkReplay(alice, ids);
    expect(approval).toMatchObject({ status: 'pending', grounds: ['threshold'], messageCount: THRESHOLD + 1 });
    expect(await dispatchCount(ids)).toBe(0);
    const untouched = await prisma().message.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    expect(untouched.map((m) => [m.status, m.version])).toEqual(rows.map((m) => [m.status, m.version]));

    await expectAppError(decideApproval({ actor: alice, id: approval.id, decision: 'approve' }), 'FORBIDDEN', /your own request/);
    expect((await getApproval({ actor: bob, id: approval.id })).status).toBe('pending');
    expect((await getApproval({ actor: alice, id: approval.id })).can).toEqual({ approve: false, reject: false, cancel: true, resume: false });
    expect((await getApproval({ actor: bob, id: approval.id })).can).toEqual({ approve: true, reject: true, cancel: false, resume: false });

    const done = await decideApproval({ actor: bob, id: approval.id, decision: 'approve', reason: 'checked the consumer fix' });
    expect(done).toMatchObject({ status: 'approved', decidedBy: `user:${bob.email}`, decisionReason: 'checked the consumer fix' });
    expect(done.executedAt).not.toBeNull();
    expect(done.result).toEqual({ succeeded: ids.map(String), failed: [] });
    expect(await dispatchCount(ids)).toBe(ids.length);
    expect(await settledStatuses(ids)).toEqual(ids.map(() => 'replayed'));

    expect(await events(approval.id, 'approval.requested')).toHaveLength(1);
    const [approved] = await events(approval.id, 'approval.approved');
    expect(approved).toMatchObject({ actor: `user:${bob.email}`, outcome: 'succeeded' });
    const [executed] = await events(approval.id, 'approval.executed');
    expect(executed).toMatchObject({ outcome: 'succeeded', result: `${ids.length} of ${ids.length} done` });
    const replays = await replayEvents(ids);
    expect(replays).toHaveLength(ids.length);
    for (const e of replays) {
      expect(e.actor).toBe(`user:${alice.email}`);
      expect(e.reason).toBe('consumer fixed');
      expect(e.after).toMatchObject({ approval: { id: approval.id, approvedBy: `user:${bob.email}` } });
    }
    await expectAppError(decideApproval({ actor: carol, id: approval.id, decision: 'approve' }), 'CONFLICT', /already approved .* and has run/);
  });

  it('resumes after a crash half-way without doubling anything', async () => {
    const { ids } = await fx.deadLetters(6);
    const approval = await bulkReplay(alice, ids);
    crash.calls = 0;
    crash.after = 3;
    try {
      await expect(decideApproval({ actor: bob, id: approval.id, decision: 'approve' })).rejects.toThrow('simulated crash');
    } finally {
      crash.after = Number.POSITIVE_INFINITY;
    }
    const stopped = await getApproval({ actor: bob, id: approval.id });
    expect(stopped).toMatchObject({ status: 'approved', executedAt: null, can: { resume: true } });
    expect(await dispatchCount(ids)).toBe(3);

    const resumed = await decideApproval({ actor: carol, id: approval.id, decision: 'approve' });
    expect(resumed.result).toEqual({ succeeded: ids.map(String), failed: [] });
    for (const id of ids) expect(await dispatchCount([id])).toBe(1);
    expect(await replayEvents(ids)).toHaveLength(6);
    expect(await events(approval.id, 'approval.approved')).toHaveLength(1);
    expect(await events(approval.id, 'approval.executed')).toHaveLength(1);
    expect(await settledStatuses(ids)).toEqual(ids.map(() => 'replayed'));
  });

  it('runs once when two people approve at the same moment', async () => {
    const { ids } = await fx.deadLetters(THRESHOLD + 2);
    const approval = await bulkReplay(alice, ids);
    const answers = await Promise.allSettled([bob, carol].map((actor) => decideApproval({ actor, id: approval.id, decision: 'approve' })));
    expect(answers.some((a) => a.status === 'fulfilled')).toBe(true);
    for (const a of answers) if (a.status === 'rejected') expect((a.reason as AppError).code).toBe('CONFLICT');
    expect(await events(approval.id, 'approval.approved')).toHaveLength(1);
    expect(await events(approval.id, 'approval.executed')).toHaveLength(1);
    expect(await dispatchCount(ids)).toBe(ids.length);
    expect(await replayEvents(ids)).toHaveLength(ids.length);
  });

  it('is rejected only with a reason, and then nothing changes', async () => {
    const { ids, rows } = await fx.deadLetters(THRESHOLD + 1);
    const approval = await bulkReplay(alice, ids);
    await expectAppError(decideApproval({ actor: bob, id: approval.id, decision: 'reject', reason: '  ' }), 'INVALID_INPUT', /reason/);
    await expectAppError(decideApproval({ actor: alice, id: approval.id, decision: 'reject', reason: 'changed my mind' }), 'FORBIDDEN', /cancel it instead/);
    const rejected = await decideApproval({ actor: bob, id: approval.id, decision: 'reject', reason: 'the fix is not deployed yet' });
    expect(rejected).toMatchObject({ status: 'rejected', decisionReason: 'the fix is not deployed yet', executedAt: null });
    const [event] = await events(approval.id, 'approval.rejected');
    expect(event).toMatchObject({ outcome: 'rejected', reason: 'the fix is not deployed yet' });
    await expectAppError(decideApproval({ actor: carol, id: approval.id, decision: 'approve' }), 'CONFLICT', /rejected/);
    expect(await dispatchCount(ids)).toBe(0);
    const after = await prisma().message.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    expect(after.map((m) => [m.status, m.version])).toEqual(rows.map((m) => [m.status, m.version]));
  });

  it('can be cancelled by the requester or an admin only, while pending', async () => {
    const { ids } = await fx.deadLetters(THRESHOLD + 1);
    const first = await bulkReplay(alice, ids);
    await expectAppError(cancelApproval({ actor: bob, id: first.id }), 'FORBIDDEN');
    expect(await cancelApproval({ actor: alice, id: first.id, reason: 'wrong selection' })).toMatchObject({ status: 'cancelled', decidedBy: null });
    await expectAppError(decideApproval({ actor: bob, id: first.id, decision: 'approve' }), 'CONFLICT', /cancelled/);
    const second = await bulkReplay(alice, ids);
    expect(await cancelApproval({ actor: admin, id: second.id })).toMatchObject({ status: 'cancelled', decidedBy: `user:${admin.email}` });
    expect(await events(second.id, 'approval.cancelled')).toHaveLength(1);
    expect(await dispatchCount(ids)).toBe(0);
  });
});

describe('permissions of the second person', () => {
  it('a viewer cannot approve; a support lead can approve a redirect but not a replay', async () => {
    const { ids } = await fx.deadLetters(THRESHOLD + 1, { label: 'perm' });
    const replay = await bulkReplay(alice, ids);
    await expectAppError(decideApproval({ actor: viewer, id: replay.id, decision: 'approve' }), 'FORBIDDEN', /messages:replay/);
    await expectAppError(decideApproval({ actor: lead, id: replay.id, decision: 'approve' }), 'FORBIDDEN', /messages:replay/);
    expect((await getApproval({ actor: lead, id: replay.id })).can.approve).toBe(false);

    const team = await fx.broker.queue('team-billing');
    await prisma().team.create({ data: { name: `billing-${replay.id.slice(0, 6)}`, queue: team } });
    const { answer } = await runBulkAction({ actor: admin, input: { action: 'redirect', ids: ids.map(String), team: `billing-${replay.id.slice(0, 6)}`, reason: 'billing owns these' } });
    if (!isPendingApproval(answer)) throw new Error('expected the redirect to wait');
    const done = await decideApproval({ actor: lead, id: answer.approval.id, decision: 'approve' });
    expect(done.result).toEqual({ succeeded: ids.map(String), failed: [] });
    expect(await settledStatuses(ids)).toEqual(ids.map(() => 'redirected'));
  });

  it('an approved request fails every message when the requester lost the permission since', async () => {
    const dave = await fx.user('operator');
    const { ids } = await fx.deadLetters(THRESHOLD + 1);
    const approval = await bulkReplay(dave, ids);
    await prisma().user.update({ where: { id: dave.id }, data: { role: 'viewer' } });
    const done = await decideApproval({ actor: bob, id: approval.id, decision: 'approve' });
    expect(done.result?.succeeded).toEqual([]);
    expect(done.result?.failed).toEqual(ids.map((id) => ({ messageId: String(id), error: expect.stringMatching(/no longer holds the messages:replay permission/) })));
    expect((await events(approval.id, 'approval.executed'))[0]).toMatchObject({ outcome: 'failed' });
    expect(await dispatchCount(ids)).toBe(0);
  });
});

describe('a single action on a protected source', () => {
  it('answers with a pending approval (once per Idempotency-Key), then replays when approved', async () => {
    const { ids: [id], rows: [row] } = await fx.deadLetters(1, { through: fx.protectedSource });
    const send = () => replayMessage({ actor: alice, id: String(id), version: row!.version, idempotencyKey: 'protected-1', input: { version: row!.version, reason: 'retry payment' } });
    const { result } = await send();
    expect(isPendingApproval(result)).toBe(true);
    const { approval } = result as TPendingApproval;
    expect(approval.grounds).toEqual([`protected:${fx.protectedSource.dlq}`]);
    const again = await send();
    expect(again).toEqual({ result, replayed: true });
    expect(await prisma().approvalRequest.count({ where: { messageIds: { has: id! } } })).toBe(1);
    expect(await prisma().message.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ version: row!.version, status: 'new' });
    // A second request for the same message waits for the first to be decided.
    await expectAppError(replayMessage({ actor: alice, id: String(id), version: row!.version, input: { version: row!.version } }), 'CONFLICT', /already waits for approval/);
    expect((await listApprovals({ actor: bob, messageId: String(id), status: 'pending' })).items.map((a) => a.id)).toEqual([approval.id]);

    const done = await decideApproval({ actor: bob, id: approval.id, decision: 'approve' });
    expect(done.result).toEqual({ succeeded: [String(id)], failed: [] });
    expect(await settledStatuses([id!])).toEqual(['replayed']);
    // The publish's outcome may be recorded before or after the execution's end.
    const timeline = (await prisma().auditEvent.findMany({ where: { messageId: id! }, orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(timeline.filter((a) => a !== 'dispatch.published')).toEqual(['approval.requested', 'approval.approved', 'message.replay_requested', 'approval.executed']);
    expect(timeline.filter((a) => a === 'dispatch.published')).toHaveLength(1);
  });

  it('fails as stale when the message changed after the request, instead of acting on what nobody approved', async () => {
    const { ids: [id], rows: [row] } = await fx.deadLetters(1, { through: fx.protectedSource });
    const { result } = await discardMessage({ actor: alice, id: String(id), version: row!.version, input: { version: row!.version, reason: 'duplicate' } });
    const { approval } = result as TPendingApproval;
    await editMessage({ actor: carol, id: String(id), version: row!.version, input: { version: row!.version, body: { encoding: 'utf8', data: '{"n":99}' }, headers: {}, reason: 'fixed the amount' } });
    const done = await decideApproval({ actor: bob, id: approval.id, decision: 'approve' });
    expect(done.result?.failed).toEqual([{ messageId: String(id), error: expect.stringMatching(/changed since you loaded it/) }]);
    expect((await prisma().message.findUniqueOrThrow({ where: { id: id! } })).status).toBe('edited');
  });

  it('a team-scoped operator sees only requests whose messages are all its own', async () => {
    const { ids } = await fx.deadLetters(1, { through: fx.protectedSource });
    const { result } = await discardMessage({ actor: alice, id: String(ids[0]), version: 1, input: { version: 1 } });
    const { approval } = result as TPendingApproval;
    const scoped: TActor = { ...bob, scope: { teamIds: [], origins: ['elsewhere'], sources: [] } };
    expect((await listApprovals({ actor: scoped })).items.map((a) => a.id)).not.toContain(approval.id);
    await expectAppError(getApproval({ actor: scoped, id: approval.id }), 'NOT_FOUND');
    await expectAppError(decideApproval({ actor: scoped, id: approval.id, decision: 'approve' }), 'NOT_FOUND');
    expect((await listApprovals({ actor: bob })).items.map((a) => a.id)).toContain(approval.id);
  });
});
