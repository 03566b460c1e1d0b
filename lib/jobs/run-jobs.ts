import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import { APPROVAL_PERMISSION, type TApprovalMarker } from '../approvals/approval-kinds';
import { resolveRequester } from '../approvals/resolve-requester';
import { Prisma, type BulkJob } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { DISPATCH_CHANNEL } from '../dispatch/create-dispatches';
import { log } from '../log';
import { canActor } from '../permissions/require-permission';
import { runPeriodic, type TPeriodic } from '../worker/run-periodic';
import { actOnJobBatch, isBatchable } from './act-on-job-batch';
import { actOnJobItem, type TItemOutcome, type TJobRun } from './act-on-job-item';
import { checkCanary } from './check-canary';
import { dueOutboxRows, outboxLimit } from './outbox-backlog';
import { pacer, type TPace } from './pacer';
import { completeJob, stopJob } from './finish-job';
import type { TJobActionInput, TJobKind } from './job-input';
import { recordJobEvent } from './record-job-event';

// The bulk job engine, run by every worker replica (docs/decisions/0016). A replica claims
// one runnable job with a lease (lease_owner, lease_until), renews it while it works, and
// reads the job's status with each renewal, so a pause or cancel stops it between
// messages. A replica that dies stops renewing; when the lease runs out, any replica
// (the restarted one too) continues from the items still pending. Each item's action
// carries its own Idempotency-Key, so the item that was in flight at the crash is not
// acted on twice: its rerun answers with the stored result.
//
// Pace: a per-job spacing of 1/rate seconds between starts (lib/jobs/pacer.ts: what a stall
// missed is made up, within limits; a fresh schedule after a pause, so no burst), with a few
// batches in flight at once so a slow transaction does not cost throughput. Items are acted
// on in batches of what the rate allows in BATCH_MS (at most BATCH_MAX), one transaction per
// batch (act-on-job-batch.ts); a JSON patch, or a batch that hit anything but a refusal,
// goes one item at a time.
//
// The rate is the target queue's: a job that publishes holds while the outbox is behind by
// more than 2 s of its rate (lib/jobs/outbox-backlog.ts), so what it would have written
// meanwhile does not reach the target queue as a burst once the broker is back.

export type TJobRunnerOptions = {
  pollMs: number;
  leaseMs: number;
  /** Items (one at a time) or batches acted on at once. */
  concurrency?: number;
  /** A job is given up (and may be taken by another replica) after this long, so no job starves the others. */
  sliceMs?: number;
  owner?: string;
};

const CONTROL_MS = 250;
/** Pending items read at once. */
const PENDING = 512;
/** A batch holds what the rate allows in this long, at most BATCH_MAX items, so a pause still stops a job within moments. */
const BATCH_MS = 100;
const BATCH_MAX = 100;
/** Batches in flight: one commits (the audit chain's lock) while the next one's statements run. */
const BATCH_LANES = 2;
/** How often, and after how many items, the outcomes are written. */
const RECORD_MS = 50;
const RECORD_MAX = 200;
/** How long a job's schedule is kept after a slice ended on time, for its next slice here. */
const KEEP_PACE_MS = 5000;
/** A job held this long by a full outbox gives its replica to other jobs until the next poll. */
const HOLD_YIELD_MS = 1000;

type TControl = { status: string; version: number; lost: boolean; outboxFull: boolean };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startJobRunner(options: TJobRunnerOptions): TPeriodic {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let stopping = false;
  const paces: TKeptPaces = new Map();
  const periodic = runPeriodic({
    name: 'bulk jobs',
    intervalMs: options.pollMs,
    step: async () => {
      const job = await claimJob(owner, options.leaseMs);
      if (!job) return false;
      return (await runJobSlice(job, { ...options, owner, paces, isStopping: () => stopping })) === 'more';
    },
  });
  return {
    name: periodic.name,
    wake: periodic.wake,
    async stop() {
      stopping = true;
      await periodic.stop();
    },
  };
}

/** The runnable job whose lease is free and was renewed longest ago: every job gets its turn. */
async function claimJob(owner: string, leaseMs: number): Promise<BulkJob | null> {
  const [claimed] = await prisma().$queryRaw<{ id: string }[]>`
    UPDATE bulk_jobs SET lease_owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond'
    WHERE id = (
      SELECT id FROM bulk_jobs
      WHERE status IN ('queued', 'running', 'canary') AND (lease_until IS NULL OR lease_until < now())
      ORDER BY lease_until NULLS FIRST, created_at
      LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id::text`;
  return claimed ? prisma().bulkJob.findUnique({ where: { id: claimed.id } }) : null;
}

async function release(jobId: string, owner: string) {
  await prisma().$executeRaw`UPDATE bulk_jobs SET lease_owner = NULL, lease_until = now() WHERE id = ${jobId}::uuid AND lease_owner = ${owner}`;
}

/**
 * A job's schedule from the slice that ended because its time was up, so that the job's
 * next slice on this replica, if the job is unchanged since (same version), carries on from
 * it: what the change of slice cost is made up, within lib/jobs/pacer.ts's limits. It is an
 * optimisation only: another replica, or a slice after a pause, starts a fresh schedule
 * with no burst.
 */
type TKeptPaces = Map<string, { version: number; pace: TPace; keptAt: number }>;

function keptPace(paces: TKeptPaces, job: BulkJob): TPace {
  const now = Date.now();
  for (const [id, kept] of paces) if (now - kept.keptAt > KEEP_PACE_MS) paces.delete(id);
  const kept = paces.get(job.id);
  paces.delete(job.id);
  // A changed version means a pause, a resume or an approval came in between: start afresh.
  return kept && kept.version === job.version ? kept.pace : pacer(job.ratePerSecond);
}

type TSliceOptions = TJobRunnerOptions & { owner: string; paces: TKeptPaces; isStopping: () => boolean };

async function runJobSlice(job: BulkJob, options: TSliceOptions): Promise<'more' | 'idle'> {
  const { owner } = options;
  const run = await prepareRun(job);
  if ('why' in run) {
    await stopJob(job.id, { status: 'failed', reason: run.why, from: ['queued', 'running', 'canary'] });
    return 'more';
  }
  const control: TControl = { status: await start(job, owner), version: job.version, lost: false, outboxFull: false };
  // A discard publishes nothing: the outbox does not hold it.
  const limit = outboxLimit(job.kind, job.ratePerSecond);
  const checkOutbox = async () => { if (limit !== null) control.outboxFull = (await dueOutboxRows(prisma(), limit + 1)) > limit; };
  const renew = async () => {
    const [row] = await prisma().$queryRaw<{ status: string; version: number }[]>`
      UPDATE bulk_jobs SET lease_until = now() + ${options.leaseMs} * interval '1 millisecond'
      WHERE id = ${job.id}::uuid AND lease_owner = ${owner} RETURNING status, version`;
    if (row) Object.assign(control, { status: row.status, version: row.version });
    else control.lost = true;
    await checkOutbox();
  };
  // One renewal at a time: while the job's row is busy, renewals queued every CONTROL_MS
  // took one pooled connection each, which the job's own batches then waited for.
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing) return;
    renewing = true;
    renew().catch((error) => log.warn('bulk jobs: cannot renew a lease', { jobId: job.id, error })).finally(() => { renewing = false; });
  }, CONTROL_MS);
  const sliceEnd = Date.now() + (options.sliceMs ?? 10_000);
  // Held: the outbox stayed full for HOLD_YIELD_MS; the slice ends and the replica's turn goes to other jobs.
  let held = false;
  const runnable = (phase: string) => !held && !control.lost && !options.isStopping() && control.status === phase;
  const scheduled = keptPace(options.paces, job);
  // Each start waits for room in the outbox (renew() reads it every CONTROL_MS), then for its turn in the schedule.
  const pace: TPace = async (items) => {
    const since = Date.now();
    while (control.outboxFull && !held && !control.lost && !options.isStopping()) {
      if (Date.now() - since > HOLD_YIELD_MS) held = true;
      else await sleep(CONTROL_MS / 5);
    }
    if (!held) await scheduled(items);
  };
  try {
    // Inside the try: a failed read still clears the renewal timer and releases the lease.
    await checkOutbox();
    for (;;) {
      // Back after the poll interval, on a fresh schedule: the outbox's drain is burst enough.
      if (held) return 'idle';
      if (!runnable('canary') && !runnable('running')) break;
      if (Date.now() > sliceEnd) {
        options.paces.set(job.id, { version: control.version, pace: scheduled, keptAt: Date.now() });
        return 'more';
      }
      const phase = control.status;
      const items = await pendingItems(job.id, phase === 'canary');
      if (items.length > 0) {
        // The slice ends between batches too: a slow job gives other jobs their turn after sliceMs, not after every fetched item.
        const inSlice = () => runnable(phase) && Date.now() <= sliceEnd;
        if (isBatchable(run)) await actOnBatches(items, run, batchSize(job.ratePerSecond), options.concurrency ?? BATCH_LANES, inSlice, pace, job.id);
        else await actOnItems(items, run, options.concurrency ?? 8, inSlice, pace, job.id);
        continue;
      }
      if (phase === 'running') {
        await completeJob(job.id, owner);
        return 'more';
      }
      const verdict = await checkCanary(job.id);
      if (verdict.state === 'wait') return 'idle';
      if (verdict.state === 'halt') {
        await stopJob(job.id, { status: 'halted', reason: verdict.reason, from: ['canary'] });
        return 'more';
      }
      await passCanary(job.id, owner);
      control.status = 'running';
    }
    return 'more';
  } finally {
    clearInterval(timer);
    await release(job.id, owner).catch((error) => log.warn('bulk jobs: cannot release a lease; it runs out', { jobId: job.id, error }));
  }
}

/** The requester as they stand now (an approval never outlives their own right to act), and the approval the job runs under. */
async function prepareRun(job: BulkJob): Promise<TJobRun | { why: string }> {
  const kind = job.kind as TJobKind;
  const input = job.input as TJobActionInput;
  const requester = await resolveRequester(job.createdByKey, job.createdBy);
  if (!requester.actor) return { why: requester.why };
  const permission = APPROVAL_PERMISSION[kind];
  if (!canActor(requester.actor, permission)) return { why: `The requester ${job.createdBy} no longer holds the ${permission} permission` };
  if (input.jsonPatch && !canActor(requester.actor, 'messages:edit')) return { why: `The requester ${job.createdBy} no longer holds the messages:edit permission its JSON patch needs` };
  const approval = await prisma().approvalRequest.findFirst({ where: { jobId: job.id, status: 'approved' }, select: { id: true, decidedBy: true } });
  const marker: TApprovalMarker | undefined = approval?.decidedBy ? { id: approval.id, approvedBy: approval.decidedBy } : undefined;
  return { jobId: job.id, kind, input, actor: requester.actor, approval: marker };
}

/** A queued job starts (first time: job.started) in its canary, or in the rest when the canary passed or there is none. */
async function start(job: BulkJob, owner: string): Promise<string> {
  if (job.status !== 'queued') return job.status;
  const phase = job.canarySize > 0 && !job.canaryPassedAt ? 'canary' : 'running';
  return prisma().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ firstStart: boolean }[]>`
      UPDATE bulk_jobs j SET status = ${phase}, started_at = COALESCE(j.started_at, now()), version = j.version + 1, updated_at = now()
      FROM (SELECT id, started_at IS NULL AS first FROM bulk_jobs WHERE id = ${job.id}::uuid FOR UPDATE) b
      WHERE j.id = b.id AND j.status = 'queued' AND j.lease_owner = ${owner}
      RETURNING b.first AS "firstStart"`;
    if (!row) return (await tx.bulkJob.findUniqueOrThrow({ where: { id: job.id }, select: { status: true } })).status;
    if (row.firstStart) {
      await recordJobEvent(tx, {
        jobId: job.id, actor: 'system:worker', action: 'job.started',
        result: phase === 'canary' ? `canary of ${job.canarySize} first` : `${job.total} messages at up to ${job.ratePerSecond}/s`,
        before: { status: 'queued' }, after: { job: job.id, status: phase },
      });
    }
    return phase;
  });
}

async function passCanary(jobId: string, owner: string) {
  await prisma().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ size: number }[]>`
      UPDATE bulk_jobs SET status = 'running', canary_passed_at = now(), version = version + 1, updated_at = now()
      WHERE id = ${jobId}::uuid AND status = 'canary' AND lease_owner = ${owner} RETURNING canary_size AS size`;
    if (!row) return;
    await recordJobEvent(tx, {
      jobId, actor: 'system:worker', action: 'job.canary_passed',
      result: `none of the ${row.size} canary messages dead-lettered again; the rest runs`,
      before: { status: 'canary' }, after: { job: jobId, status: 'running' },
    });
  });
}

async function pendingItems(jobId: string, canaryOnly: boolean) {
  return prisma().bulkJobItem.findMany({
    where: { jobId, state: 'pending', ...(canaryOnly ? { canary: true } : {}) },
    orderBy: { position: 'asc' },
    take: PENDING,
    select: { position: true, messageId: true },
  });
}

async function actOnItems(
  items: { position: number; messageId: bigint }[],
  run: TJobRun,
  concurrency: number,
  runnable: () => boolean,
  pace: TPace,
  jobId: string,
) {
  let next = 0;
  const outcomes = batchRecorder(jobId);
  const lane = async () => {
    while (next < items.length && runnable()) {
      const item = items[next++]!;
      await pace();
      if (!runnable()) return;
      outcomes.add(item.position, await actOnJobItem(run, item.messageId));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  } finally {
    await outcomes.flush();
  }
}

function batchSize(ratePerSecond: number): number {
  return Math.max(1, Math.min(BATCH_MAX, Math.round((ratePerSecond * BATCH_MS) / 1000)));
}

/** Like actOnItems, a batch at a time: the pace is taken for the whole batch before it starts. */
async function actOnBatches(
  items: { position: number; messageId: bigint }[],
  run: TJobRun,
  size: number,
  lanes: number,
  runnable: () => boolean,
  pace: TPace,
  jobId: string,
) {
  let next = 0;
  const outcomes = batchRecorder(jobId);
  const lane = async () => {
    while (next < items.length && runnable()) {
      const batch = items.slice(next, next + size);
      next += batch.length;
      await pace(batch.length);
      if (!runnable()) return;
      for (const [position, outcome] of await actOnBatch(run, batch)) outcomes.add(position, outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(lanes, Math.ceil(items.length / size)) }, lane));
  } finally {
    await outcomes.flush();
  }
}

/** One transaction for the batch; one item at a time when it failed for anything but a refusal (each item's own transaction then decides). */
async function actOnBatch(run: TJobRun, batch: { position: number; messageId: bigint }[]): Promise<[number, TItemOutcome][]> {
  try {
    const outcomes = await actOnJobBatch(run, batch.map((b) => b.messageId));
    return batch.map((b) => [b.position, outcomes.get(b.messageId) ?? { state: 'failed', error: 'not acted on' }]);
  } catch (error) {
    log.warn('bulk jobs: a batch failed; acting on its items one at a time', { jobId: run.jobId, items: batch.length, error });
    const out: [number, TItemOutcome][] = [];
    for (const b of batch) out.push([b.position, await actOnJobItem(run, b.messageId)]);
    return out;
  }
}

/**
 * Items' outcomes and the job's counters, written every RECORD_MS (and at the end of a
 * batch) in one statement, followed by one NOTIFY that wakes the dispatchers for every
 * publish the actions wrote. One row per item would make the job's row the hottest lock
 * in the database, and a NOTIFY per action serialises commits. An outcome lost to a crash
 * before its write is found again: the item is still pending, and its rerun answers with
 * the stored result of its Idempotency-Key.
 */
function batchRecorder(jobId: string) {
  let pending: { position: number; outcome: TItemOutcome }[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const write = () => {
    const batch = pending;
    pending = [];
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0) return writing;
    writing = writing.then(() => recordItems(jobId, batch));
    return writing;
  };
  return {
    add(position: number, outcome: TItemOutcome) {
      pending.push({ position, outcome });
      if (pending.length >= RECORD_MAX) void write().catch(() => {});
      else timer ??= setTimeout(() => { void write().catch(() => {}); }, RECORD_MS);
    },
    async flush() {
      await write();
    },
  };
}

/**
 * The outcomes of some items and the job's counters as one statement; an item already
 * recorded (or skipped by a cancel meanwhile) counts once.
 *
 * Safe to run again: an item already recorded is not counted twice. It locks the job's row
 * before its items (the InitPlan runs first), the order a pause or cancel takes them in
 * (lib/jobs/finish-job.ts, transition-job.ts); items first deadlocked with a cancel, and
 * PostgreSQL takes a second (deadlock_timeout) to notice.
 *
 * The items are found by their primary key, (job, position = ANY(positions)), both in the
 * index condition. Joined to the positions only by `i.position = g.position`, the planner
 * (with a freshly filled bulk_job_items it has no statistics for) walked every pending item
 * of the job for each write and compared it with every position given: 5.2 million
 * comparisons, 2.8 s, for 200 outcomes of a 30,000-item job, while holding the job's row,
 * which stalled the lease renewals and the job (docs/decisions/performance.md).
 */
export function recordItemsStatement(jobId: string, batch: { position: number; outcome: TItemOutcome }[]): Prisma.Sql {
  const positions = batch.map((b) => b.position);
  const states = batch.map((b) => b.outcome.state);
  const actionIds = batch.map((b) => (b.outcome.state === 'done' ? b.outcome.actionId : null));
  const errors = batch.map((b) => (b.outcome.state === 'failed' ? b.outcome.error.slice(0, 2000) : null));
  return Prisma.sql`
    WITH job AS (SELECT id FROM bulk_jobs WHERE id = ${jobId}::uuid FOR NO KEY UPDATE),
    given AS (
      SELECT * FROM unnest(${positions}::int[], ${states}::text[], ${actionIds}::uuid[], ${errors}::text[]) AS g(position, state, action_id, error)),
    item AS (
      UPDATE bulk_job_items i SET state = g.state, action_id = g.action_id, error = g.error, processed_at = now()
      FROM given g
      WHERE i.job_id = (SELECT id FROM job) AND i.position = ANY(${positions}::int[]) AND i.position = g.position
        AND i.state IN ('pending', 'skipped')
      RETURNING i.state)
    UPDATE bulk_jobs SET
      done = done + (SELECT count(*) FROM item WHERE state = 'done'),
      failed = failed + (SELECT count(*) FROM item WHERE state = 'failed')
    WHERE id = ${jobId}::uuid`;
}

async function recordItems(jobId: string, batch: { position: number; outcome: TItemOutcome }[]) {
  // A deadlock victim is still retried here rather than failing the whole slice of the job.
  await retryOnDeadlock(() => prisma().$executeRaw(recordItemsStatement(jobId, batch)));
  if (batch.some((b) => b.outcome.state === 'done')) await prisma().$executeRaw`SELECT pg_notify(${DISPATCH_CHANNEL}, ${jobId})`;
}

async function retryOnDeadlock<T>(statement: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      const deadlock = /40P01|deadlock detected/.test(String((error as { message?: string }).message ?? error));
      if (!deadlock || attempt >= attempts) throw error;
      log.warn('bulk jobs: recording outcomes hit a deadlock; trying again', { attempt });
    }
  }
}

/**
 * The thread's module, beside this one. From source (tsx, tests) it is the .mjs that
 * registers the TypeScript loader first; in the worker built ahead of time
 * (scripts/build-worker.mjs) this code runs from .worker-build/main.js, and the thread's
 * bundle is job-runner-thread.js next to it.
 */
const JOB_THREAD_ENTRY = import.meta.url.endsWith('.ts') ? './job-runner-thread.mjs' : './job-runner-thread.js';

/** How long the thread stays after the last runnable job is gone, so a job queued right after another does not wait for a new thread. */
const THREAD_IDLE_MS = 30_000;

/**
 * The job engine on a worker thread (lib/jobs/job-runner-thread.ts), started only while
 * some job is queued, running or in its canary (on any replica: this one takes it over
 * when its lease runs out): a
 * thread is a second V8 isolate with its own modules, Prisma client and pool,
 * about 100 MB the worker would otherwise hold through every ingest burst
 * (docs/decisions/performance.md). The main thread checks every pollMs with one indexed
 * query; the thread is stopped THREAD_IDLE_MS after none is left. A thread that dies while
 * jobs remain is started again at the next check after a pause.
 */
export function startJobRunnerThread(options: TJobRunnerOptions & { idleMs?: number }): TPeriodic & { threadRunning(): boolean } {
  const { idleMs = THREAD_IDLE_MS, ...runnerOptions } = options;
  let worker: Worker | undefined;
  let stopping: Promise<void> | undefined;
  let lastNeeded = 0;
  let restartAfter = 0;
  const spawn = () => {
    const w = new Worker(new URL(JOB_THREAD_ENTRY, import.meta.url), { workerData: runnerOptions });
    w.on('error', (error) => log.error('bulk jobs: the job thread failed', { error }));
    w.once('exit', (code) => {
      if (worker !== w) return;
      worker = undefined;
      log.error('bulk jobs: the job thread exited; it starts again at the next check', { code });
      restartAfter = Date.now() + 1000;
    });
    return w;
  };
  const stopThread = async () => {
    const w = worker;
    if (!w) return;
    worker = undefined;
    await new Promise<void>((resolve) => {
      w.once('exit', () => resolve());
      w.once('message', (m) => { if (m === 'stopped') void w.terminate(); });
      w.postMessage('stop');
    });
  };
  const periodic = runPeriodic({
    name: 'bulk jobs',
    intervalMs: options.pollMs,
    step: async () => {
      if (await anyRunnableJob()) lastNeeded = Date.now();
      if (!worker && lastNeeded > 0 && Date.now() - lastNeeded < idleMs && Date.now() >= restartAfter) {
        log.info('bulk jobs: a job is runnable; starting the job thread');
        worker = spawn();
      } else if (worker && Date.now() - lastNeeded >= idleMs) {
        log.info('bulk jobs: no runnable job left; stopping the job thread');
        await stopThread();
      }
      return false;
    },
  });
  return {
    name: periodic.name,
    wake: periodic.wake,
    threadRunning: () => worker !== undefined,
    async stop() {
      stopping ??= (async () => {
        await periodic.stop();
        await stopThread();
      })();
      await stopping;
    },
  };
}

/** Whether any job is queued, running or in its canary; a job leased by another replica counts, since its lease may run out. */
async function anyRunnableJob(): Promise<boolean> {
  const [row] = await prisma().$queryRaw<{ runnable: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM bulk_jobs WHERE status IN ('queued', 'running', 'canary')) AS runnable`;
  return row?.runnable ?? false;
}
