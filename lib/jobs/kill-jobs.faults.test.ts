import { afterAll, beforeAll, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { checkDoublePublishWindow, countRows, countStored, drainQueue, verifyAudit, type TArrivals } from '../testing/faults/count';
import { makeOriginPlain, seedDeadLetters, type TDeadLetters } from '../testing/faults/dead-letters';
import { apiClient, type TApi } from '../testing/faults/http';
import { adminToken, startWeb, startWorker, stopAll, type TProcess } from '../testing/faults/processes';
import { recordFault } from '../testing/faults/report';
import { faultSeed, killPoints, median, roundS, seededRandom } from '../testing/faults/seed';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import type { TJob } from './job-dto';

// Bulk jobs created over HTTP (over the approval threshold, so approved by a second admin
// token) and run by the real worker, SIGKILLed at seeded points and restarted each time:
// a replay of 10,000 messages to their origin, and a redirect of 1,000 messages to all of
// three teams (3,000 publishes). Counted where they land, by replay id: none missing,
// none acted on twice, and a copy published twice only inside the documented window (a
// dispatch claimed again after the worker died between its publish and its outcome,
// docs/decisions/0016: at most two pipelined windows, 200 publishes, per crash).

const REPLAY_MESSAGES = 10_000;
const REDIRECT_MESSAGES = 1000;
const TEAMS = 3;
const KILLS = 3;
/** Two pipelined windows of 100 per crash (docs/decisions/0016). */
const WINDOW_PER_CRASH = 200;
// Each kill costs a worker start and a job lease; on a 2-core machine shared with other work a test took up to 270 s.
const TIMEOUT_MS = 600_000;
const seed = faultSeed();
const random = seededRandom(seed);

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let replaySet: TDeadLetters;
let redirectSet: TDeadLetters;
let api: TApi;
let approver: TApi;
let worker: TProcess;

const workerEnv = () => ({
  DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL,
  DLQ_SOURCES_REFRESH_MS: '200', DLQ_JOB_POLL_MS: '200', DLQ_JOB_LEASE_MS: '5000',
  DLQ_DISPATCH_POLL_MS: '200', DLQ_DISPATCH_LEASE_MS: '3000', DLQ_DISPATCH_BATCH: '200',
});

beforeAll(async () => {
  db = await createTestDatabase('fault_jobs');
  broker = await createTestBroker('fault-jobs');
  replaySet = await seedDeadLetters(broker, { count: REPLAY_MESSAGES, prefix: 'r', label: 'replay' });
  redirectSet = await seedDeadLetters(broker, { count: REDIRECT_MESSAGES, prefix: 'd', label: 'redirect' });
  // A replay goes to the origin: a plain queue now, where the replays stay to be counted.
  await makeOriginPlain(broker, replaySet.origin);
  const env = { DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL };
  const [web, started] = await Promise.all([startWeb(env), startWorker(workerEnv())]);
  worker = started;
  api = apiClient(web.baseUrl, await adminToken(web.baseUrl, 'faults requester'));
  approver = apiClient(web.baseUrl, await adminToken(web.baseUrl, 'faults approver'));
  await waitFor(async () => (await countRows(replaySet.dlq)) === REPLAY_MESSAGES && (await countRows(redirectSet.dlq)) === REDIRECT_MESSAGES, {
    timeoutMs: 180_000, intervalMs: 500, what: `the dead letters stored\n${worker.output()}`,
  });
}, TIMEOUT_MS);

afterAll(async () => {
  await stopAll();
  await broker?.cleanup();
  await db?.drop();
});

/**
 * The job (its selection frozen as it is created, no dry run: nothing arrives meanwhile),
 * then the second admin's approval: over the threshold, it waits for one.
 */
async function createApprovedJob(request: Record<string, unknown>, expected: number): Promise<string> {
  const created = await api<{ job: TJob; approval: { id: string } }>('POST', '/api/v1/jobs', request, [202]);
  expect(created.job).toMatchObject({ status: 'awaiting_approval', total: expected });
  await approver('POST', `/api/v1/approvals/${created.approval.id}/approve`, { reason: 'fault scenario' });
  return created.job.id;
}

const publishedCount = async () => prisma().dispatch.count({ where: { state: 'published' } });
const dispatchCount = async () => prisma().dispatch.count();

/**
 * Kills the worker each time the job has created more than the next point's dispatches,
 * restarts it, and waits for the job to complete and every dispatch to be settled.
 * Recovery: from the restart to the next confirmed publish.
 */
async function runWithKills(jobId: string, points: number[]) {
  const before = await dispatchCount();
  const recoveries: number[] = [];
  const atKill: number[] = [];
  for (const point of points) {
    const current = worker;
    atKill.push(await waitFor(async () => { const n = (await dispatchCount()) - before; return n > point ? n : false; }, {
      timeoutMs: 120_000, intervalMs: 20, what: `the job past ${point} dispatches\n${current.output()}`,
    }));
    current.kill('SIGKILL');
    expect((await current.exited()).signal).toBe('SIGKILL');
    const published = await publishedCount();
    const restartedAt = Date.now();
    worker = startWorker(workerEnv());
    const next = worker;
    await waitFor(async () => (await publishedCount()) > published, { timeoutMs: 120_000, intervalMs: 50, what: `a publish after the restart\n${next.output()}` });
    recoveries.push(Date.now() - restartedAt);
  }
  const job = await waitFor(async () => {
    const j = await api<TJob>('GET', `/api/v1/jobs/${jobId}`);
    return j.status === 'completed' && (await prisma().dispatch.count({ where: { state: 'pending' } })) === 0 ? j : false;
  }, { timeoutMs: 180_000, intervalMs: 500, what: `job ${jobId} completed and every dispatch settled\n${worker.output()}` });
  return { job, recoveries, atKill };
}

/** Each message of the job has exactly `perMessage` dispatches: none acted on twice, none skipped. */
async function dispatchesPerMessage(source: string) {
  const rows = await prisma().$queryRaw<{ n: bigint; messages: bigint }[]>`
    SELECT per.n, count(*) AS messages FROM (
      SELECT m.id, count(d.id) AS n FROM messages m LEFT JOIN dispatches d ON d.message_id = m.id WHERE m.source_queue = ${source} GROUP BY m.id
    ) per GROUP BY per.n`;
  return Object.fromEntries(rows.map((r) => [String(r.n), Number(r.messages)]));
}

function missing(expected: string[], arrivals: TArrivals) {
  return expected.filter((id) => !arrivals.byOriginalMessageId.has(id)).length;
}

async function checkAndRecord(options: { scenario: string; source: string; letters: TDeadLetters; publishes: number; arrivals: TArrivals[]; messageIds: string[]; perMessage: number; points: number[]; run: Awaited<ReturnType<typeof runWithKills>> }) {
  const { arrivals, run } = options;
  const window = await checkDoublePublishWindow(arrivals);
  const lost = arrivals.reduce((sum, a) => sum + missing(options.messageIds, a), 0);
  const stored = await countStored({ sourceQueue: options.source, expectedIds: options.letters.ids });
  const perMessage = await dispatchesPerMessage(options.source);
  const chain = await verifyAudit();
  await recordFault({
    scenario: options.scenario,
    messages: options.publishes,
    lost: lost + stored.lost,
    duplicated: stored.duplicated,
    doublePublished: window.doublePublished,
    recoveredInS: roundS(Math.max(...run.recoveries)),
    details: {
      seed,
      killAfterDispatches: options.points,
      dispatchesAtKill: run.atKill,
      recoveredInS: 'max over restarts, from spawn to the next confirmed publish (a killed worker\'s job lease, 5 s here, runs out first)',
      recoveriesMedianS: roundS(median(run.recoveries)),
      job: { status: run.job.status, total: run.job.total, done: run.job.done, failed: run.job.failed, skipped: run.job.skipped },
      dispatchesPerMessage: perMessage,
      doublePublishWindow: `each copy's dispatch was claimed again after a crash (arrivals <= attempts); at most ${WINDOW_PER_CRASH} per crash`,
      outsideWindow: window.outsideWindow.slice(0, 10),
      arrivals: Object.fromEntries(arrivals.map((a) => [a.queue, a.total])),
      auditChain: chain.ok ? `verified (${chain.checked} events)` : chain.detail,
    },
  });
  expect(run.job).toMatchObject({ status: 'completed', done: options.messageIds.length, failed: 0, skipped: 0 });
  expect(perMessage, 'dispatches per message').toEqual({ [String(options.perMessage)]: options.messageIds.length });
  expect(lost, `seed ${seed}`).toBe(0);
  expect(stored).toMatchObject({ lost: 0, duplicated: 0 });
  expect(window.outsideWindow, `seed ${seed}: copies outside the window`).toEqual([]);
  expect(window.doublePublished).toBeLessThanOrEqual(KILLS * WINDOW_PER_CRASH);
  expect(chain.ok, chain.detail).toBe(true);
}

it(`replays ${REPLAY_MESSAGES} messages in a bulk job across ${KILLS} SIGKILLs, each landing once but for the documented window`, async () => {
  console.log(`kill-jobs replay: FAULT_SEED=${seed}`);
  const points = killPoints(random, KILLS, Math.floor(REPLAY_MESSAGES * 0.05), Math.floor(REPLAY_MESSAGES * 0.85));
  const jobId = await createApprovedJob({ action: 'replay', selection: { filters: { source: replaySet.dlq } }, ratePerSecond: 1000, reason: 'fault scenario' }, REPLAY_MESSAGES);
  const run = await runWithKills(jobId, points);
  const arrivals = [await drainQueue(replaySet.origin, { expected: REPLAY_MESSAGES })];
  const messageIds = (await prisma().message.findMany({ where: { sourceQueue: replaySet.dlq }, select: { id: true } })).map((m) => m.id.toString());
  await checkAndRecord({
    scenario: `bulk replay job, worker SIGKILLed ${KILLS}x`, source: replaySet.dlq, letters: replaySet,
    publishes: REPLAY_MESSAGES, arrivals, messageIds, perMessage: 1, points, run,
  });
}, TIMEOUT_MS);

it(`redirects ${REDIRECT_MESSAGES} messages to all ${TEAMS} teams in a bulk job across ${KILLS} SIGKILLs`, async () => {
  console.log(`kill-jobs redirect: FAULT_SEED=${seed}`);
  const destinations: string[] = [];
  for (let t = 0; t < TEAMS; t++) {
    const queue = await broker.queue(`team${t}`);
    destinations.push(queue);
    await api('POST', '/api/v1/teams', { name: `${broker.prefix}-team${t}`, queue });
  }
  const publishes = REDIRECT_MESSAGES * TEAMS;
  const points = killPoints(random, KILLS, Math.floor(publishes * 0.05), Math.floor(publishes * 0.85));
  const jobId = await createApprovedJob({ action: 'redirect', allTeams: true, selection: { filters: { source: redirectSet.dlq } }, ratePerSecond: 1000, reason: 'fault scenario' }, REDIRECT_MESSAGES);
  const run = await runWithKills(jobId, points);
  const arrivals = await Promise.all(destinations.map((q) => drainQueue(q, { expected: REDIRECT_MESSAGES })));
  const messageIds = (await prisma().message.findMany({ where: { sourceQueue: redirectSet.dlq }, select: { id: true } })).map((m) => m.id.toString());
  await checkAndRecord({
    scenario: `bulk redirect job to all ${TEAMS} teams, worker SIGKILLed ${KILLS}x`, source: redirectSet.dlq, letters: redirectSet,
    publishes, arrivals, messageIds, perMessage: TEAMS, points, run,
  });
}, TIMEOUT_MS);
