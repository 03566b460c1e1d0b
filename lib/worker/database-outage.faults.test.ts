import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addSources } from '../sources/add-sources';
import { countStored, verifyAudit } from '../testing/faults/count';
import { seedDeadLetters, type TDeadLetters } from '../testing/faults/dead-letters';
import { startWorker, stopAll, type TProcess } from '../testing/faults/processes';
import { recordFault } from '../testing/faults/report';
import { roundS } from '../testing/faults/seed';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';

// PostgreSQL unavailable for OUTAGE_MS to the real worker while it ingests: this test's
// database refuses new connections (ALLOW_CONNECTIONS false) and its sessions are
// terminated, then it is allowed again. The shared cluster keeps running for everyone else.
// Nothing may be acked without being stored: sampled throughout, what is stored plus what
// the source queue still holds (ready or unacked) is never less than what was sent. Ingest
// resumes by itself; every message ends stored once and the audit chain verifies.
//
// One session stays open to the database through the outage (terminated sessions exclude
// it, and a disallowed database keeps its open sessions): the observer that counts rows.

const TOTAL = 2000;
const OUTAGE_MS = 20_000;
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const run = promisify(execFile);

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let letters: TDeadLetters;
let worker: TProcess;
let admin: pg.Client;
let observer: pg.Client;
let observerPid: number;
let allowed = true;

beforeAll(async () => {
  db = await createTestDatabase('fault_pg');
  broker = await createTestBroker('fault-pg');
  // Waiting in the source queue: ingest starts when the scenario adds the source.
  letters = await seedDeadLetters(broker, { count: TOTAL, prefix: 'p', label: 'pgdown', addSource: false });
  admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  observer = new pg.Client({ connectionString: db.url });
  await observer.connect();
  observerPid = (await observer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  worker = startWorker({
    DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL,
    DLQ_PREFETCH: '100', DLQ_BATCH_SIZE: '20', DLQ_BATCH_WAIT_MS: '20', DLQ_SOURCES_REFRESH_MS: '200',
  });
}, 120_000);

afterAll(async () => {
  if (!allowed) await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`).catch(() => {});
  await stopAll();
  await observer?.end().catch(() => {});
  await admin?.end().catch(() => {});
  await broker?.cleanup();
  await db?.drop();
}, 60_000);

const stored = async () => Number((await observer.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE source_queue = $1', [letters.dlq])).rows[0]!.n);

/** Ready and unacked in the source queue, as the broker counts them (no management API here: rabbitmqctl). */
async function inQueue(queue: string): Promise<{ ready: number; unacked: number }> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'messages_ready', 'messages_unacknowledged'], { timeout: 60_000, maxBuffer: 16 << 20 });
  const line = stdout.split('\n').map((l) => l.split('\t')).find((cells) => cells[0] === queue);
  if (!line) throw new Error(`rabbitmqctl does not list ${queue}`);
  return { ready: Number(line[1]), unacked: Number(line[2]) };
}

type TSample = { down: boolean; ready: number; unacked: number; stored: number };

it(`PostgreSQL refusing the worker for ${OUTAGE_MS / 1000} s mid-ingest of ${TOTAL}: nothing acked unstored, ingest resumes by itself, nothing lost or doubled`, async () => {
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [letters.dlq] });
  await waitFor(async () => (await stored()) >= 200, { timeoutMs: 60_000, intervalMs: 10, what: `ingest under way\n${worker.output()}` });

  // Sampling throughout: the queue first, then the rows, so a message acked between the two reads is counted as stored.
  const samples: TSample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const downBefore = !allowed;
      const queue = await inQueue(letters.dlq);
      samples.push({ down: downBefore && !allowed, ...queue, stored: await stored() });
    }
  })();

  const atStop = await stored();
  const stoppedAt = Date.now();
  let afterCut = atStop;
  let atRestart = atStop;
  let restartedAt = 0;
  try {
    allowed = false;
    await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2', [db.name, observerPid]);
    // pg_terminate_backend only signals: a commit already under way may still finish.
    await new Promise((r) => setTimeout(r, 1000));
    afterCut = await stored();
    // The worker cannot reach the database (its sessions are gone and new ones are refused), yet holds on.
    await new Promise((r) => setTimeout(r, OUTAGE_MS - 1000));
    expect(worker.child.exitCode, worker.output()).toBeNull();
  } finally {
    atRestart = await stored();
    await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`);
    allowed = true;
    restartedAt = Date.now();
  }
  await waitFor(async () => (await stored()) > atRestart, { timeoutMs: 60_000, intervalMs: 20, what: `a row stored after the outage\n${worker.output()}` });
  const recoveredMs = Date.now() - restartedAt;
  await waitFor(async () => (await stored()) >= TOTAL && (await broker.messageCount(letters.dlq)) === 0, {
    timeoutMs: 120_000, intervalMs: 250, what: `all ${TOTAL} stored and the source drained\n${worker.output()}`,
  });
  sampling = false;
  await sampler;
  const final = await inQueue(letters.dlq);
  const counts = await countStored({ sourceQueue: letters.dlq, expectedIds: letters.ids });
  const chain = await verifyAudit();
  const during = samples.filter((s) => s.down);
  const short = samples.filter((s) => s.stored + s.ready + s.unacked < TOTAL);
  const commitRetries = worker.output().split('\n').filter((l) => l.includes('batch commit failed; retrying')).length;

  await recordFault({
    scenario: `PostgreSQL refusing the worker ${OUTAGE_MS / 1000} s mid-ingest`,
    messages: TOTAL,
    lost: counts.lost,
    duplicated: counts.duplicated,
    doublePublished: 0,
    recoveredInS: roundS(recoveredMs),
    details: {
      recoveredInS: 'from ALLOW_CONNECTIONS true to the first row stored after it',
      outageS: roundS(restartedAt - stoppedAt),
      storedAtStop: atStop,
      storedAfterCut: afterCut,
      storedAtRestart: atRestart,
      samples: samples.length,
      samplesDuringOutage: during.length,
      samplesShort: short.length,
      // Rows committed whose ack had not gone out yet (or whose commit answer was lost): counted in both.
      maxOverlap: Math.max(0, ...samples.map((s) => s.stored + s.ready + s.unacked - TOTAL)),
      duringOutage: during.map(({ ready, unacked, stored: s }) => ({ ready, unacked, stored: s })),
      workerCommitRetriesLogged: commitRetries,
      auditChain: chain.ok ? `verified (${chain.checked} events)` : chain.detail,
    },
  });

  expect(atRestart, 'rows stored while the database refused the worker').toBe(afterCut);
  expect(samples.length).toBeGreaterThanOrEqual(2);
  expect(during.length, 'samples taken during the outage').toBeGreaterThanOrEqual(1);
  // During the outage the worker holds what it took, unacked; nothing leaves the queue.
  for (const s of during) expect(s.stored + s.ready + s.unacked).toBeGreaterThanOrEqual(TOTAL);
  expect(short, 'samples where acked messages were not stored').toEqual([]);
  expect(final).toEqual({ ready: 0, unacked: 0 });
  expect(counts).toMatchObject({ stored: TOTAL, lost: 0, duplicated: 0, unexpected: 0 });
  expect(commitRetries, 'the worker retried its commits during the outage').toBeGreaterThanOrEqual(1);
  expect(chain.ok, chain.detail).toBe(true);
}, 240_000);
