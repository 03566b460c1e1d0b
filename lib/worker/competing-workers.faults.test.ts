import { afterAll, beforeAll, expect, it } from 'vitest';
import { countRows, countStored, verifyAudit } from '../testing/faults/count';
import { seedDeadLetters, type TDeadLetters } from '../testing/faults/dead-letters';
import { startWorker, stopAll } from '../testing/faults/processes';
import { recordFault } from '../testing/faults/report';
import { faultSeed, roundS, seededRandom } from '../testing/faults/seed';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';

// Two worker processes consume the same source. One is SIGKILLed midway, with a prefetch
// of unacknowledged deliveries in hand that the broker hands to the other, then restarted:
// every message is stored exactly once.

const TOTAL = 10_000;
const seed = faultSeed();

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let letters: TDeadLetters;

const workerEnv = () => ({
  DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL,
  DLQ_PREFETCH: '400', DLQ_BATCH_SIZE: '100', DLQ_BATCH_WAIT_MS: '20', DLQ_SOURCES_REFRESH_MS: '200',
});
const consumers = async (queue: string) => (await broker.channel.checkQueue(queue)).consumerCount;

beforeAll(async () => {
  db = await createTestDatabase('fault_compete');
  broker = await createTestBroker('fault-compete');
  letters = await seedDeadLetters(broker, { count: TOTAL });
}, 120_000);

afterAll(async () => {
  await stopAll();
  await broker?.cleanup();
  await db?.drop();
});

it(`two workers on one source store ${TOTAL} exactly once when one is SIGKILLed and restarted`, async () => {
  console.log(`competing-workers: FAULT_SEED=${seed}`);
  // Between 30 % and 60 % stored, so both have been consuming and plenty is left.
  const point = Math.floor(TOTAL * (0.3 + 0.3 * seededRandom(seed)()));
  const stored = () => countRows(letters.dlq);
  const a = startWorker(workerEnv());
  const b = startWorker(workerEnv());
  const outputs = () => `${a.output()}\n${b.output()}`;
  await waitFor(async () => (await consumers(letters.dlq)) === 2, { timeoutMs: 60_000, what: `both workers consuming\n${outputs()}` });

  const storedAtKill = await waitFor(async () => { const n = await stored(); return n > point ? n : false; }, {
    timeoutMs: 90_000, intervalMs: 10, what: `more than ${point} rows stored\n${outputs()}`,
  });
  b.kill('SIGKILL');
  expect((await b.exited()).signal).toBe('SIGKILL');

  const restartedAt = Date.now();
  const c = startWorker(workerEnv());
  // Recovery: from the restart until the broker counts the new worker's consumer again.
  await waitFor(async () => (await consumers(letters.dlq)) === 2 || (await broker.messageCount(letters.dlq)) === 0, {
    timeoutMs: 60_000, intervalMs: 20, what: `the restarted worker consuming\n${c.output()}`,
  });
  const recoveredMs = Date.now() - restartedAt;

  await waitFor(async () => (await stored()) >= TOTAL && (await broker.messageCount(letters.dlq)) === 0, {
    timeoutMs: 120_000, intervalMs: 200, what: `all ${TOTAL} stored and the source drained\n${a.output()}\n${c.output()}`,
  });
  for (const w of [a, c]) w.kill('SIGTERM');
  expect(await a.exited(), a.output()).toEqual({ code: 0, signal: null });
  expect(await c.exited(), c.output()).toEqual({ code: 0, signal: null });

  const counts = await countStored({ sourceQueue: letters.dlq, expectedIds: letters.ids });
  const audit = await verifyAudit();
  await recordFault({
    scenario: 'two workers on one source, one SIGKILLed and restarted',
    messages: TOTAL,
    lost: counts.lost,
    duplicated: counts.duplicated,
    doublePublished: 0,
    recoveredInS: roundS(recoveredMs),
    details: {
      seed,
      killPoint: point,
      storedAtKill,
      recoveredInS: 'from the restart until the source has two consumers again',
      auditChain: audit.ok ? `verified (${audit.checked} events)` : audit.detail,
    },
  });

  expect(counts, `seed ${seed}`).toMatchObject({ stored: TOTAL, lost: 0, duplicated: 0, unexpected: 0 });
  expect(await broker.messageCount(letters.dlq)).toBe(0);
  expect(audit.ok, audit.detail).toBe(true);
}, 280_000);
