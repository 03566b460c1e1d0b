import type { ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { startApprovalFixture, type TApprovalFixture } from '../approvals/approval-fixture';
import { decideApproval } from '../approvals/decide-approval';
import { HEADER } from '../dispatch/console-headers';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { waitFor } from '../testing/test-broker';
import type { TPeriodic } from '../worker/run-periodic';
import { createJob } from './create-job';
import { getJob } from './get-job';
import { listJobs } from './list-jobs';
import { cancelJob } from './cancel-job';
import { loadTeamScope } from '../permissions/team-scope';
import { insertDeadLetters } from './job-fixture';
import { ZJobRequest, type TJobRequest } from './job-input';
import { listJobItems } from './list-job-items';
import { previewJob } from './preview-job';
import { startJobRunner } from './run-jobs';

// Bulk jobs against the real PostgreSQL and RabbitMQ, with the job engine, the outbox
// dispatcher and the ingest worker running in this process: what a job touches is exactly
// what was frozen; a canary that passes lets the rest run; over the threshold a job waits
// for a second person; a JSON patch becomes a revision per message. The canary that halts,
// the rate, pause/resume/cancel and a SIGKILL run in the real worker process
// (jobs-worker.integration.test.ts).

type TUser = Extract<TActor, { kind: 'user' }>;
let fx: TApprovalFixture;
let runner: TPeriodic;
let alice: TUser;
let bob: TUser;

const request = (body: unknown): TJobRequest => ZJobRequest.parse(body);
const jobEvents = (id: string, action?: string) =>
  prisma().auditEvent.findMany({ where: { subject: `job:${id}`, ...(action ? { action } : {}) }, orderBy: { id: 'asc' } });

async function expectAppError(promise: Promise<unknown>, code: AppError['code'], message?: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
}

/** Counts what arrives at a queue, by the message id the console stamps on each publish. */
async function countArrivals(queue: string) {
  const channel = await fx.broker.connection.createChannel();
  const seen = new Map<string, number>();
  const times: number[] = [];
  const { consumerTag } = await channel.consume(queue, (m: ConsumeMessage | null) => {
    if (!m) return;
    const id = String(m.properties.headers?.[HEADER.originalMessageId]);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    times.push(Date.now());
  }, { noAck: true });
  return {
    seen,
    times,
    get total() { return times.length; },
    async stop() {
      await channel.cancel(consumerTag);
      await channel.close();
    },
  };
}

beforeAll(async () => {
  fx = await startApprovalFixture('jobs');
  await fx.setThreshold(100_000);
  alice = await fx.user('operator');
  bob = await fx.user('operator');
  runner = startJobRunner({ pollMs: 100, leaseMs: 5000, concurrency: 4 });
}, 60_000);
afterAll(async () => {
  await runner?.stop();
  await fx?.stop();
});

describe('a canary', () => {
  it('lets the rest run once the wait ends with no re-death', async () => {
    const work = await fx.broker.queue('canary-ok');
    const ids = await insertDeadLetters(12, { source: fx.source.dlq, origin: work });
    const { job } = await createJob({ actor: alice, input: request({ action: 'replay', selection: { ids: ids.map(String) }, canary: { size: 2, waitSeconds: 1 } }) });
    const done = await waitFor(async () => {
      const j = await getJob({ actor: alice, id: job.id });
      return j.status === 'completed' ? j : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, what: 'the job to complete after its canary' });
    expect(done).toMatchObject({ done: 12, canary: { state: 'passed' } });
    expect((await jobEvents(job.id)).map((e) => e.action)).toEqual(['job.created', 'job.started', 'job.canary_passed', 'job.completed']);
  }, 60_000);
});

describe('approval', () => {
  it('waits for a second person over the threshold; approving queues it for the worker, which runs it under the approval', async () => {
    await fx.setThreshold(5);
    try {
      const work = await fx.broker.queue('approved-work');
      const ids = await insertDeadLetters(8, { source: fx.source.dlq, origin: work });
      const created = await createJob({ actor: alice, input: request({ action: 'replay', selection: { filters: { origin: work } }, reason: 'fixed' }) });
      expect(created.job.status).toBe('awaiting_approval');
      expect(created.approval).toMatchObject({ grounds: ['threshold'] });
      const approval = await prisma().approvalRequest.findUniqueOrThrow({ where: { id: created.approval!.id } });
      expect(approval).toMatchObject({ jobId: created.job.id, kind: 'replay', status: 'pending' });
      await new Promise((r) => setTimeout(r, 500));
      expect(await prisma().dispatch.count({ where: { messageId: { in: ids } } })).toBe(0);

      const decided = await decideApproval({ actor: bob, id: approval.id, decision: 'approve' });
      expect(decided).toMatchObject({ status: 'approved', jobId: created.job.id, messageCount: 8, description: `Bulk job: replay of 8 messages to their origin queues` });
      const done = await waitFor(async () => {
        const j = await getJob({ actor: alice, id: created.job.id });
        return j.status === 'completed' ? j : undefined;
      }, { timeoutMs: 30_000, intervalMs: 200, what: 'the approved job to complete' });
      expect(done).toMatchObject({ done: 8, approval: { id: approval.id, status: 'approved' } });
      const replays = await prisma().auditEvent.findMany({ where: { action: 'message.replay_requested', messageId: { in: ids } } });
      expect(replays).toHaveLength(8);
      for (const e of replays) expect(e.after).toMatchObject({ approval: { id: approval.id, approvedBy: `user:${bob.email}` } });
      expect((await prisma().approvalRequest.findUniqueOrThrow({ where: { id: approval.id } })).executedAt).not.toBeNull();
      expect((await jobEvents(created.job.id)).map((e) => e.action)).toEqual(['job.created', 'job.queued', 'job.started', 'job.completed']);

      // Rejected: the job ends before touching anything.
      const other = await createJob({ actor: alice, input: request({ action: 'discard', selection: { ids: ids.map(String) } }) });
      await decideApproval({ actor: bob, id: other.approval!.id, decision: 'reject', reason: 'no' });
      expect(await getJob({ actor: alice, id: other.job.id })).toMatchObject({ status: 'rejected', skipped: 8, done: 0 });
    } finally {
      await fx.setThreshold(100_000);
    }
  }, 60_000);
});

describe('a JSON patch', () => {
  it('shows a diff in the dry run, saves a revision per message and replays that revision', async () => {
    const work = await fx.broker.queue('patch-work');
    const ids = await insertDeadLetters(3, { source: fx.source.dlq, origin: work });
    const body = { action: 'replay', selection: { ids: ids.map(String) }, jsonPatch: [{ op: 'replace', path: '/order', value: 'fixed' }, { op: 'add', path: '/patched', value: true }] };
    const preview = await previewJob({ actor: alice, input: request({ ...body, dryRun: true }) });
    expect(preview.errors).toBe(0);
    expect(preview.sample[0]).toMatchObject({ revision: 'new revision (patch)', headersAdded: { [HEADER.revision]: '1' }, diff: { ok: true, stats: { changed: 1, added: 1 } } });
    const bad = await previewJob({ actor: alice, input: request({ ...body, jsonPatch: [{ op: 'remove', path: '/missing' }], dryRun: true }) });
    expect(bad).toMatchObject({ errors: 3, sample: [{ error: expect.stringMatching(/remove "\/missing": path does not exist/) }, {}, {}] });

    const arrivals = await countArrivals(work);
    const { job } = await createJob({ actor: alice, input: request(body) });
    await waitFor(async () => (await getJob({ actor: alice, id: job.id })).status === 'completed' || undefined, { timeoutMs: 30_000, what: 'the patch job' });
    await waitFor(async () => arrivals.total >= 3 || undefined, { what: 'three arrivals' });
    await arrivals.stop();
    const revisions = await prisma().messageRevision.findMany({ where: { messageId: { in: ids } }, omit: { body: false }, orderBy: { messageId: 'asc' } });
    expect(revisions.map((r) => [r.number, JSON.parse(Buffer.from(r.body).toString())])).toEqual(ids.map((_, i) => [1, { n: i, order: 'fixed', patched: true }]));
    const dispatches = await prisma().dispatch.findMany({ where: { messageId: { in: ids } } });
    expect(dispatches.map((d) => d.revisionId).sort()).toEqual(revisions.map((r) => r.id).sort());
  }, 60_000);
});

describe('team scope', () => {
  it('freezes only the messages in the caller\'s scope and shows a scoped caller only the jobs of its teams', async () => {
    const own = await fx.broker.queue('scope-own');
    const other = await fx.broker.queue('scope-other');
    const mine = await insertDeadLetters(3, { source: fx.source.dlq, origin: own });
    const theirs = await insertDeadLetters(2, { source: fx.source.dlq, origin: other });
    const team = await prisma().team.create({ data: { name: `scope-${own.slice(-8)}`, queue: own } });
    await prisma().teamOwnership.create({ data: { kind: 'origin', queue: own, teamId: team.id } });
    const scoped: TActor = { ...alice, scope: await loadTeamScope([team.id]) };
    // Both jobs wait for approval, so nothing runs while the test looks at them.
    await fx.setThreshold(1);

    const preview = await previewJob({ actor: scoped, input: request({ action: 'discard', selection: { filters: { source: fx.source.dlq } }, dryRun: true }) });
    expect(preview.total).toBe(3);
    await expectAppError(
      createJob({ actor: scoped, input: request({ action: 'discard', selection: { ids: [...mine, ...theirs].map(String) } }) }),
      'NOT_FOUND', new RegExp(`No message with id ${theirs.map(String).join(', ')}$`),
    );
    const { job } = await createJob({ actor: scoped, input: request({ action: 'discard', selection: { filters: { source: fx.source.dlq }, expectedCount: 3, maxId: preview.maxId } }) });
    expect(job).toMatchObject({ total: 3, status: 'awaiting_approval' });
    const items = await listJobItems({ actor: scoped, id: job.id });
    expect(items.items.map((i) => i.messageId)).toEqual(mine.map(String));

    const unscoped = await createJob({ actor: alice, input: request({ action: 'discard', selection: { ids: theirs.map(String) } }) });
    expect(unscoped.job.status).toBe('awaiting_approval');
    await expectAppError(getJob({ actor: scoped, id: unscoped.job.id }), 'NOT_FOUND');
    await expectAppError(cancelJob({ actor: scoped, id: unscoped.job.id }), 'NOT_FOUND');
    const listed = (await listJobs({ actor: scoped, limit: 200 })).items.map((j) => j.id);
    expect(listed).toContain(job.id);
    expect(listed).not.toContain(unscoped.job.id);
    expect((await listJobs({ actor: alice, limit: 200 })).items.map((j) => j.id)).toEqual(expect.arrayContaining([job.id, unscoped.job.id]));
    await cancelJob({ actor: scoped, id: job.id });
    await cancelJob({ actor: alice, id: unscoped.job.id });
    await fx.setThreshold(100_000);
    expect(await prisma().approvalRequest.count({ where: { jobId: { in: [job.id, unscoped.job.id] }, status: 'cancelled' } })).toBe(2);
    expect(await prisma().message.count({ where: { id: { in: [...mine, ...theirs] }, status: 'discarded' } })).toBe(0);
  }, 60_000);
});

// Last: the largest, so its publishing backlog never delays the smaller tests' canaries.
describe('a frozen selection', () => {
  it('replays exactly the 5,000 messages it froze while 1,000 more matching ones arrive', async () => {
    const work = await fx.broker.queue('frozen-work');
    const frozen = await insertDeadLetters(5000, { source: fx.source.dlq, origin: work });
    const filters = { source: fx.source.dlq, origin: work };

    const jobsBefore = await prisma().bulkJob.count();
    const preview = await previewJob({ actor: alice, input: request({ action: 'replay', selection: { filters }, dryRun: true }) });
    expect(preview).toMatchObject({ dryRun: true, total: 5000, maxId: String(frozen[4999]), needsApproval: false, errors: 0 });
    expect(preview.sample).toHaveLength(20);
    expect(preview.sample[0]).toMatchObject({
      messageId: String(frozen[0]), target: `queue ${work}`, revision: 'original',
      headersAdded: { [HEADER.originalMessageId]: String(frozen[0]), [HEADER.revision]: '0', [HEADER.replayCount]: '1' },
    });
    expect(await prisma().bulkJob.count()).toBe(jobsBefore);

    // More arrive after the operator looked: the count they confirm no longer matches.
    const early = await insertDeadLetters(1, { source: fx.source.dlq, origin: work });
    await expectAppError(
      createJob({ actor: alice, input: request({ action: 'replay', selection: { filters, expectedCount: 5000 } }) }),
      'CONFLICT', /5001 messages match now, you saw 5000/,
    );
    // Confirmed with the dry run's highest id: exactly what was shown.
    const arrivals = await countArrivals(work);
    const { job } = await createJob({
      actor: alice,
      input: request({ action: 'replay', selection: { filters, expectedCount: 5000, maxId: preview.maxId }, ratePerSecond: 1000, reason: 'consumer fixed' }),
      idempotencyKey: 'frozen-5000',
    });
    expect(job).toMatchObject({ status: 'queued', total: 5000, selection: { count: 5000, maxId: preview.maxId } });
    const again = await createJob({
      actor: alice,
      input: request({ action: 'replay', selection: { filters, expectedCount: 5000, maxId: preview.maxId }, ratePerSecond: 1000, reason: 'consumer fixed' }),
      idempotencyKey: 'frozen-5000',
    });
    expect(again).toMatchObject({ replayed: true, job: { id: job.id } });

    // 1,000 more matching messages arrive while the job runs.
    const late: bigint[] = [];
    for (let i = 0; i < 10; i++) {
      late.push(...(await insertDeadLetters(100, { source: fx.source.dlq, origin: work })));
      await new Promise((r) => setTimeout(r, 150));
    }
    expect((await getJob({ actor: alice, id: job.id })).done).toBeLessThan(5000);

    const finished = await waitFor(async () => {
      const j = await getJob({ actor: alice, id: job.id });
      return j.status === 'completed' ? j : undefined;
    }, { timeoutMs: 360_000, intervalMs: 500, what: 'the job to complete' });
    expect(finished).toMatchObject({ done: 5000, failed: 0, remaining: 0, canary: { state: 'none' } });
    await waitFor(async () => arrivals.total >= 5000 || undefined, { timeoutMs: 120_000, what: '5,000 arrivals' });
    await new Promise((r) => setTimeout(r, 500));
    await arrivals.stop();

    expect(arrivals.total).toBe(5000);
    expect([...arrivals.seen.keys()].sort()).toEqual(frozen.map(String).sort());
    expect([...arrivals.seen.values()].every((n) => n === 1)).toBe(true);
    const touched = await prisma().dispatch.groupBy({ by: ['messageId'], where: { message: { originQueue: work } }, _count: true });
    expect(touched).toHaveLength(5000);
    expect(touched.every((t) => t._count === 1)).toBe(true);
    const untouched = await prisma().message.findMany({ where: { id: { in: [...early, ...late] } }, select: { status: true } });
    expect(untouched).toHaveLength(1001);
    expect(untouched.every((m) => m.status === 'new')).toBe(true);

    const page = await listJobItems({ actor: alice, id: job.id, limit: 10 });
    expect(page.items.map((i) => [i.position, i.messageId, i.state])).toEqual(frozen.slice(0, 10).map((id, i) => [i, String(id), 'done']));
    expect(page.nextCursor).toBe('9');
    const [created] = await jobEvents(job.id, 'job.created');
    expect((created!.after as { selection: { ids: string[] } }).selection.ids).toEqual(frozen.map(String));
    expect((await jobEvents(job.id)).map((e) => e.action)).toEqual(['job.created', 'job.started', 'job.completed']);
    const replays = await prisma().auditEvent.count({ where: { action: 'message.replay_requested', messageId: { in: frozen } } });
    expect(replays).toBe(5000);
  }, 480_000);
});
