import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildWorker, readWorkerCommand } from '../../scripts/worker-command';
import { prisma } from '../db/prisma';
import { addSources } from '../sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';

// The heap cap `npm run worker` starts the worker with (package.json) against the worst
// ingest it allows: a batch is cut once its bodies pass 32 MiB (lib/ingest/consume-source.ts),
// so the largest holds just under 32 MiB plus one body of the broker's largest message
// (max_message_size: 128 MiB by default on RabbitMQ 3.x), and two batches are in flight at
// once. Two such batches must be stored, not kill the worker with "heap out of memory"
// (which would leave them in the queue to kill the next start too). The bodies travel as
// binary bind parameters outside the V8 heap (lib/ingest/store-dead-letters.ts); when they
// travelled as base64 in one JSON string this failed now and then at the 512 MB cap.
// Alone: it holds ~1 GB.

const SMALL = 4.5 * 1024 * 1024;
const SMALL_PER_BATCH = 7;
/** Just under RabbitMQ 3.x's default max_message_size (134217728 bytes). */
const LARGEST = 128 * 1024 * 1024 - 64 * 1024;
const BATCHES = 2;
const outDir = `.worker-build-heap-${randomBytes(4).toString('hex')}`;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
const running = new Set<ChildProcess>();

beforeAll(async () => {
  db = await createTestDatabase('heap');
  broker = await createTestBroker('heap');
});

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await broker?.cleanup();
  await db?.drop();
  await rm(path.resolve(import.meta.dirname, '../..', outDir), { recursive: true, force: true });
});

it('stores two of the largest batches in flight at once under the heap cap', async () => {
  const { nodeFlags } = await readWorkerCommand();
  const entry = await buildWorker(outDir);
  const dlq = await broker.queue('dlq');
  const confirms = await broker.connection.createConfirmChannel();
  let total = 0;
  for (let b = 0; b < BATCHES; b++) {
    for (const size of [...Array<number>(SMALL_PER_BATCH).fill(SMALL), LARGEST]) {
      confirms.sendToQueue(dlq, randomBytes(size), { messageId: `heap-${total++}` });
      await confirms.waitForConfirms();
    }
  }
  await confirms.close();
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });

  const child = spawn(process.execPath, [...nodeFlags, entry], {
    env: { ...process.env, DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL, DLQ_SOURCES: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => { running.delete(child); resolve({ code, signal }); });
  });
  let early: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => (early = e));

  await waitFor(async () => {
    if (early) throw new Error(`the worker exited (${JSON.stringify(early)}): ${stderr.slice(0, 500)}`);
    return (await broker.messageCount(dlq)) === 0 && (await prisma().message.count({ where: { sourceQueue: dlq } })) === total;
  }, { timeoutMs: 240_000, intervalMs: 500, what: `all ${total} large dead letters stored` });
  child.kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });
  expect(stderr).not.toMatch(/heap out of memory/i);
  const [largest] = await prisma().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM messages WHERE source_queue = ${dlq} AND size = ${LARGEST}`;
  expect(Number(largest!.n)).toBe(BATCHES);
}, 420_000);
