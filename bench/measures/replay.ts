import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ConsumeMessage } from 'amqplib';
import type { TActor } from '../../lib/actor';
import { decideApproval } from '../../lib/approvals/decide-approval';
import { prisma } from '../../lib/db/prisma';
import { env } from '../../lib/env';
import { createJob } from '../../lib/jobs/create-job';
import { addSources } from '../../lib/sources/add-sources';
import { removeSource } from '../../lib/sources/remove-source';
import { createUser } from '../../lib/users/create-user';
import type { TBenchContext, TMeasure, TSeries } from '../lib/types';
import { messageBody, publishDeadLetters } from './ingest';
import { replayFloor } from './replay-floor';

// Replay: a bulk replay job of N stored dead letters with no rate limit, run by the real
// worker process (job engine, outbox dispatcher with confirms + mandatory), timed from the
// job's creation until all N have arrived at the origin queue and the job is completed;
// against a plain amqplib confirm channel publishing the same N bodies (mandatory,
// pipelined confirms) in the same run. Every arrival is counted by message id: anything
// but exactly N distinct ids, once each, is broken. Between the two, the floor
// (replay-floor.ts) replays the same stored bodies through a bare outbox, for how much of
// the gap is the stack's own.

type TUser = Extract<TActor, { kind: 'user' }>;

/** How many publishes a sensible producer keeps unconfirmed. */
const BASELINE_WINDOW = 1000;

export type TReplayQueues = { source: string; origin: string };

/** N dead letters stored by the worker from `source`, each dead-lettered by `origin`. */
export async function storeDeadLetters(ctx: TBenchContext, channel: Channel, queues: TReplayQueues, total: number) {
  await channel.assertQueue(queues.source, { durable: true });
  await channel.assertQueue(queues.origin, { durable: true });
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [queues.source] });
  ctx.log(`publishing ${total} dead letters to ${queues.source}...`);
  await publishDeadLetters(channel, queues.source, total, queues.origin);
}

/** The source's queue is deleted with the measure's queues: the next worker must not look for it. */
export async function forgetSource(queue: string) {
  await removeSource({ actor: { kind: 'system', name: 'cli' }, queue, reason: 'bench: measure finished' }).catch(() => {});
}

/** The worker as `npm run worker` runs it, against the bench database. */
export function startWorker(ctx: TBenchContext): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/worker/main.ts'], {
    env: {
      ...process.env, DATABASE_URL: ctx.databaseUrl, RABBITMQ_URL: ctx.rabbitUrl, DLQ_SOURCES: '', DLQ_SOURCES_REFRESH_MS: '500',
      LOG_LEVEL: 'warn', DLQ_JOB_POLL_MS: '200', WORKER_METRICS_PORT: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

export async function stopWorker(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

async function poll<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, child?: ChildProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`the worker exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Until every message of `source` is stored, grouped and tagged by the worker's other tasks, so they do not share the measured time. */
export async function untilStoredAndSettled(source: string, total: number, child: ChildProcess) {
  await poll(`${total} stored messages from ${source}`, async () => (await prisma().message.count({ where: { sourceQueue: source } })) >= total, 30 * 60_000, child);
  await poll('the worker to group and tag every stored message', async () => {
    const [row] = await prisma().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE source_queue = ${source} AND (group_id IS NULL OR owner_checked_at IS NULL)`;
    return row!.n === 0;
  }, 30 * 60_000, child);
}

/** Every message arriving at a queue, by its message id, and how many arrived in each second. */
export async function countArrivals(channel: Channel, queue: string) {
  const seen = new Map<string, number>();
  const perSecond: number[] = [];
  let firstAt = 0;
  let lastAt = 0;
  let started = 0;
  const { consumerTag } = await channel.consume(queue, (m: ConsumeMessage | null) => {
    if (!m) return;
    const id = String(m.properties.messageId);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    const now = performance.now();
    if (!firstAt) firstAt = now;
    lastAt = now;
    const second = Math.floor((now - started) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  }, { noAck: true });
  return {
    seen,
    perSecond,
    /** Seconds are counted from here. */
    start() { started = performance.now(); },
    get total() { let n = 0; for (const c of seen.values()) n += c; return n; },
    get firstAt() { return firstAt; },
    get lastAt() { return lastAt; },
    async stop() { await channel.cancel(consumerTag); },
  };
}

/** Until `total` distinct messages arrived, or none arrived for a minute (then the measure says how many never did). */
export async function untilArrived(arrivals: { seen: Map<string, unknown>; total: number }, total: number, worker: ChildProcess) {
  let seen = arrivals.total;
  let movedAt = Date.now();
  await poll(`${total} arrivals`, async () => {
    if (arrivals.total !== seen) {
      seen = arrivals.total;
      movedAt = Date.now();
    }
    return arrivals.seen.size >= total || Date.now() - movedAt > 60_000;
  }, 60 * 60_000, worker);
}

/** Two admins: one creates the job, the other approves it (a job this size needs a second person). */
export async function admins(): Promise<{ requester: TUser; approver: TUser }> {
  const make = async (who: string): Promise<TUser> => {
    const email = `bench-${who}-${randomBytes(3).toString('hex')}@example.com`;
    const created = await createUser({ actor: { kind: 'system', name: 'cli' }, email, password: `pw-${randomBytes(12).toString('hex')}`, role: 'admin' });
    return { kind: 'user', id: created.id, email, role: 'admin' };
  };
  return { requester: await make('requester'), approver: await make('approver') };
}

/**
 * Creates and approves a replay job of every message stored from `source`. The bench
 * process's own limits on a job (its size and rate) are raised for the call, as if it had
 * been started with DLQ_JOB_MAX_MESSAGES and DLQ_JOB_MAX_RATE set that high.
 */
export async function createReplayJob({ source, total, ratePerSecond, users }: { source: string; total: number; ratePerSecond: number; users: { requester: TUser; approver: TUser } }) {
  const limits = env();
  const saved = { messages: limits.DLQ_JOB_MAX_MESSAGES, rate: limits.DLQ_JOB_MAX_RATE };
  limits.DLQ_JOB_MAX_MESSAGES = Math.max(saved.messages, total);
  limits.DLQ_JOB_MAX_RATE = Math.max(saved.rate, ratePerSecond);
  try {
    const created = await createJob({
      actor: users.requester,
      input: { action: 'replay', selection: { filters: { source }, expectedCount: total }, ratePerSecond, reason: 'bench: replay after the consumer was fixed' },
    });
    if (created.approval) await decideApproval({ actor: users.approver, id: created.approval.id, decision: 'approve', reason: 'bench' });
    return created.job.id;
  } finally {
    limits.DLQ_JOB_MAX_MESSAGES = saved.messages;
    limits.DLQ_JOB_MAX_RATE = saved.rate;
  }
}

export async function jobStatus(jobId: string) {
  return prisma().bulkJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, done: true, failed: true, total: true, haltReason: true } });
}

/** What a job's arrivals say is wrong: ids missing, ids arriving more than once, ids that were never sent. */
export function arrivalProblems(seen: Map<string, number>, total: number): string[] {
  let doubled = 0;
  let unknown = 0;
  for (const [id, n] of seen) {
    if (n > 1) doubled++;
    const i = /^m-(\d+)$/.exec(id);
    if (!i || Number(i[1]) >= total) unknown++;
  }
  const problems: string[] = [];
  if (seen.size - unknown < total) problems.push(`${total - (seen.size - unknown)} of ${total} messages never arrived at the origin queue`);
  if (doubled > 0) problems.push(`${doubled} messages arrived more than once`);
  if (unknown > 0) problems.push(`${unknown} message ids arrived that were never sent`);
  return problems;
}

/** A plain producer: the same N bodies on a confirm channel, mandatory, up to BASELINE_WINDOW unconfirmed. */
async function baselinePublish(ctx: TBenchContext, queue: string, total: number) {
  const connection = await amqp.connect(ctx.rabbitUrl);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    let returned = 0;
    channel.on('return', () => { returned++; });
    const perSecond: number[] = [];
    const now = Math.floor(Date.now() / 1000);
    let outstanding = 0;
    let failed = 0;
    let wake: (() => void) | undefined;
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      while (outstanding >= BASELINE_WINDOW) await new Promise<void>((r) => (wake = r));
      outstanding++;
      const ok = channel.publish('', queue, messageBody(i), {
        mandatory: true, persistent: true, contentType: 'application/json', messageId: `m-${i}`, correlationId: `c-${i}`, timestamp: now,
        headers: { 'x-tenant': 'acme', 'x-attempt': 3, 'x-sent-at': { '!': 'timestamp', value: now } },
      }, (error) => {
        if (error) failed++;
        const second = Math.floor((performance.now() - started) / 1000);
        perSecond[second] = (perSecond[second] ?? 0) + 1;
        outstanding--;
        wake?.();
        wake = undefined;
      });
      if (!ok) await new Promise((r) => channel.once('drain', r));
    }
    while (outstanding > 0) await new Promise<void>((r) => (wake = r));
    const seconds = (performance.now() - started) / 1000;
    await channel.deleteQueue(queue);
    return { rate: total / seconds, seconds, failed, returned, perSecond };
  } finally {
    await connection.close().catch(() => {});
  }
}

export function toPoints(perSecond: number[]): [number, number][] {
  return Array.from({ length: perSecond.length }, (_, s): [number, number] => [s + 1, perSecond[s] ?? 0]);
}

export const measure: TMeasure = {
  name: 'replay',
  async run(ctx) {
    const total = ctx.sizes.replay;
    const queues: TReplayQueues = { source: `${ctx.prefix}.replay.dlq`, origin: `${ctx.prefix}.replay.origin` };
    const baselineQueue = `${ctx.prefix}.replay.baseline`;
    const floorQueue = `${ctx.prefix}.replay.floor`;
    const connection = await amqp.connect(ctx.rabbitUrl);
    const channel = await connection.createChannel();
    let worker: ChildProcess | undefined;
    try {
      await storeDeadLetters(ctx, channel, queues, total);
      const users = await admins();
      worker = startWorker(ctx);
      ctx.log(`replay: the worker stores ${total} dead letters...`);
      await untilStoredAndSettled(queues.source, total, worker);

      ctx.log('replay: baseline, a plain confirm channel...');
      const baseline = await baselinePublish(ctx, baselineQueue, total);
      ctx.log(`replay: baseline ${Math.round(baseline.rate)}/s`);
      ctx.log('replay: the floor, a bare outbox over the same stored bodies...');
      const floor = await replayFloor(ctx, queues.source, floorQueue);
      await channel.deleteQueue(floorQueue).catch(() => {});
      ctx.log(`replay: floor ${Math.round(floor.rate)}/s (${(floor.rate / baseline.rate).toFixed(3)} x the baseline)`);

      const arrivals = await countArrivals(channel, queues.origin);
      const [auditBefore] = await prisma().$queryRaw<{ n: bigint }[]>`SELECT coalesce(max(id), 0) AS n FROM audit_events`;
      ctx.log(`replay: a replay job of ${total}, no rate limit...`);
      const started = performance.now();
      arrivals.start();
      const jobId = await createReplayJob({ source: queues.source, total, ratePerSecond: 1_000_000, users });
      const createdMs = performance.now() - started;
      const timeoutMs = Math.max(120_000, total * 20);
      const job = await poll(`job ${jobId} to finish`, async () => {
        const j = await jobStatus(jobId);
        return ['completed', 'halted', 'failed', 'cancelled', 'rejected'].includes(j.status) ? j : undefined;
      }, timeoutMs, worker);
      // The job completes when every item was acted on; the outbox may still be publishing.
      if (job.status === 'completed') await untilArrived(arrivals, total, worker);
      const seconds = (performance.now() - started) / 1000;
      // Anything published twice would arrive within moments of the rest.
      await new Promise((r) => setTimeout(r, 2000));
      await arrivals.stop();
      const [audit] = await prisma().$queryRaw<{ n: number; actions: { action: string; n: number }[] }[]>`
        SELECT count(*)::int AS n, coalesce(jsonb_agg(jsonb_build_object('action', action, 'n', c)), '[]') AS actions
        FROM (SELECT action, count(*)::int AS c FROM audit_events WHERE id > ${auditBefore!.n} GROUP BY action) a`;
      const [auditTotal] = await prisma().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_events WHERE id > ${auditBefore!.n}`;
      const rate = total / seconds;
      const ratio = rate / baseline.rate;
      const problems = arrivalProblems(arrivals.seen, total);
      if (job.status !== 'completed' || job.done !== total) problems.push(`the job ended ${job.status} with ${job.done} done and ${job.failed} failed of ${total}${job.haltReason ? `: ${job.haltReason}` : ''}`);
      if (baseline.failed || baseline.returned) problems.push(`the baseline had ${baseline.failed} nacked and ${baseline.returned} returned publishes`);
      if (floor.failed || floor.returned || floor.published !== total) problems.push(`the floor published ${floor.published} of ${total} (${floor.failed} nacked, ${floor.returned} returned)`);
      const series: TSeries[] = [
        { chart: 'replay rate', name: 'bulk replay job (arrivals at the origin queue)', unit: 'msg/s', points: toPoints(arrivals.perSecond) },
        { chart: 'replay rate', name: 'plain confirm channel (confirms)', unit: 'msg/s', points: toPoints(baseline.perSecond) },
        { chart: 'replay rate', name: 'floor: bare outbox (published and recorded)', unit: 'msg/s', points: toPoints(floor.perSecond) },
      ];
      return {
        rows: [{
          measure: `replay job of ${total} (no rate limit, confirms + mandatory, outbox)`,
          baseline: 'plain amqplib confirm channel, mandatory, pipelined confirms',
          value: Math.round(rate), unit: 'msg/s', baselineValue: Math.round(baseline.rate),
          ratio: Number(ratio.toFixed(3)), target: '>= 0.60 x baseline', met: ratio >= 0.6 && problems.length === 0,
          detail: {
            seconds: Number(seconds.toFixed(1)), baselineSeconds: Number(baseline.seconds.toFixed(1)), createAndApproveMs: Math.round(createdMs),
            firstArrivalMs: Math.round(arrivals.firstAt - started), lastArrivalMs: Math.round(arrivals.lastAt - started),
            arrived: arrivals.total, distinct: arrivals.seen.size, job: { status: job.status, done: job.done, failed: job.failed },
            auditEvents: auditTotal!.n, auditByAction: Object.fromEntries(audit!.actions.map((a) => [a.action, a.n])),
            baselineWindow: BASELINE_WINDOW,
            floor: {
              rate: Math.round(floor.rate), seconds: Number(floor.seconds.toFixed(1)), ratioToBaseline: Number((floor.rate / baseline.rate).toFixed(3)),
              jobToFloor: Number((rate / floor.rate).toFixed(3)),
              what: 'stored rows marked replaying + outbox rows, 100 per transaction in two lanes; claim 200, publish with confirms + mandatory in windows of 100, mark published + replayed per window; no audit, idempotency or checks',
            },
          },
        }],
        series,
        notes: [
          `replay floor (a bare transactional outbox over the same stored bodies: no audit, idempotency keys or checks): ${Math.round(floor.rate)} msg/s, ${(floor.rate / baseline.rate).toFixed(3)} x the baseline; the job reaches ${(rate / floor.rate).toFixed(3)} x the floor`,
        ],
        broken: problems.map((p) => `replay job ${jobId}: ${p}`),
      };
    } finally {
      if (worker) await stopWorker(worker);
      await forgetSource(queues.source);
      for (const q of [queues.source, queues.origin, baselineQueue, floorQueue]) await channel.deleteQueue(q).catch(() => {});
      await connection.close().catch(() => {});
    }
  },
};
