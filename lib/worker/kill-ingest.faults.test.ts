import { afterAll, beforeAll, expect, it } from 'vitest';
import { countRows, countStored, verifyAudit } from '../testing/faults/count';
import { seedDeadLetters, type TDeadLetters } from '../testing/faults/dead-letters';
import { startWorker, stopAll, type TProcess } from '../testing/faults/processes';
import { recordFault } from '../testing/faults/report';
import { faultSeed, killPoints, median, roundS, seededRandom } from '../testing/faults/seed';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';

// The real worker, SIGKILLed ten times while it ingests 10,000 dead letters, each time as
// soon as the stored count passes a point drawn from the seed, and restarted: every
// message ends stored exactly once, the source queue empty, the audit chain intact.

const TOTAL = 10_000;
const KILLS = 10;
// Eleven worker starts: on a 2-core machine shared with other work each took 15-25 s.
const TIMEOUT_MS = 600_000;
const seed = faultSeed();

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let letters: TDeadLetters;

const workerEnv = () => ({
  DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL,
  DLQ_PREFETCH: '400', DLQ_BATCH_SIZE: '100', DLQ_BATCH_WAIT_MS: '20', DLQ_SOURCES_REFRESH_MS: '200',
});

beforeAll(async () => {
  db = await createTestDatabase('fault_ingest');
  broker = await createTestBroker('fault-ingest');
  letters = await seedDeadLetters(broker, { count: TOTAL });
}, 120_000);

afterAll(async () => {
  await stopAll();
  await broker?.cleanup();
  await db?.drop();
});

it(`stores ${TOTAL} dead letters exactly once across ${KILLS} SIGKILLs at seeded points`, async () => {
  console.log(`kill-ingest: FAULT_SEED=${seed}`);
  // Points leave the last 5 % unkilled, so each kill lands while there is still work.
  const points = killPoints(seededRandom(seed), KILLS, 1, Math.floor(TOTAL * 0.95));
  const stored = () => countRows(letters.dlq);
  const killedAt: number[] = [];
  const recoveries: number[] = [];
  let worker: TProcess | undefined;

  for (const point of points) {
    const before = await stored();
    const startedAt = Date.now();
    worker = startWorker(workerEnv());
    const current = worker;
    // The first row stored after the restart: how long the worker took to be useful again.
    await waitFor(async () => (await stored()) > before, { timeoutMs: 60_000, intervalMs: 20, what: `the restarted worker to store a row\n${current.output()}` });
    recoveries.push(Date.now() - startedAt);
    const reached = await waitFor(async () => { const n = await stored(); return n > point ? n : false; }, {
      timeoutMs: 60_000, intervalMs: 10, what: `more than ${point} rows stored\n${current.output()}`,
    });
    worker.kill('SIGKILL');
    expect((await worker.exited()).signal).toBe('SIGKILL');
    killedAt.push(reached);
  }

  const before = await stored();
  const startedAt = Date.now();
  worker = startWorker(workerEnv());
  const last = worker;
  await waitFor(async () => (await stored()) > before, { timeoutMs: 60_000, intervalMs: 20, what: `the last worker to store a row\n${last.output()}` });
  recoveries.push(Date.now() - startedAt);
  await waitFor(async () => (await stored()) >= TOTAL && (await broker.messageCount(letters.dlq)) === 0, {
    timeoutMs: 120_000, intervalMs: 200, what: `all ${TOTAL} stored and the source drained\n${last.output()}`,
  });
  worker.kill('SIGTERM');
  expect(await worker.exited(), worker.output()).toEqual({ code: 0, signal: null });

  const counts = await countStored({ sourceQueue: letters.dlq, expectedIds: letters.ids });
  const audit = await verifyAudit();
  await recordFault({
    scenario: `worker SIGKILLed ${KILLS}x during ingest`,
    messages: TOTAL,
    lost: counts.lost,
    duplicated: counts.duplicated,
    doublePublished: 0,
    recoveredInS: roundS(Math.max(...recoveries)),
    details: {
      seed,
      killPoints: points,
      storedAtKill: killedAt,
      recoveredInS: 'max over restarts, from spawn to the first new row',
      recoveriesMedianS: roundS(median(recoveries)),
      auditChain: audit.ok ? `verified (${audit.checked} events)` : audit.detail,
    },
  });

  expect(counts, `seed ${seed}`).toMatchObject({ stored: TOTAL, lost: 0, duplicated: 0, unexpected: 0 });
  expect(await broker.messageCount(letters.dlq)).toBe(0);
  expect(audit.ok, audit.detail).toBe(true);
}, TIMEOUT_MS);
