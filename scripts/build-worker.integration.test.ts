import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TActor } from '../lib/actor';
import { prisma } from '../lib/db/prisma';
import { createJob } from '../lib/jobs/create-job';
import { ZJobRequest } from '../lib/jobs/job-input';
import { addSources } from '../lib/sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../lib/testing/test-broker';
import { createTestDatabase } from '../lib/testing/test-database';
import { createUser } from '../lib/users/create-user';
import { buildWorker, readWorkerCommand } from './worker-command';

// The worker as production runs it: built ahead of time into plain JavaScript and started
// by `node` alone with package.json's flags (no TypeScript loader). It ingests, runs a
// bulk job on its thread (a bundle of its own, found beside the worker's), and stops on
// SIGTERM with exit code 0. Built into a folder of this file's own, so a concurrent
// `npm run worker` or bench keeps its .worker-build/.

const TOTAL = 40;
const SYSTEM: TActor = { kind: 'system', name: 'cli' };
const outDir = `.worker-build-test-${randomBytes(4).toString('hex')}`;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let entry: string;
let nodeFlags: string[];
const running = new Set<ChildProcess>();

beforeAll(async () => {
  db = await createTestDatabase('built');
  broker = await createTestBroker('built');
  ({ nodeFlags } = await readWorkerCommand());
  entry = await buildWorker(outDir);
}, 120_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await broker?.cleanup();
  await db?.drop();
  await rm(path.resolve(import.meta.dirname, '..', outDir), { recursive: true, force: true });
});

function startBuiltWorker() {
  const child = spawn(process.execPath, [...nodeFlags, entry], {
    env: {
      ...process.env, DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL, DLQ_SOURCES: '', DLQ_SOURCES_REFRESH_MS: '200',
      DLQ_JOB_POLL_MS: '100', DLQ_JOB_LEASE_MS: '5000', LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  const lines: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => { running.delete(child); resolve({ code, signal }); });
  });
  const messages = () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
  return { child, exited, messages };
}

it('ingests, runs a bulk job on its thread, and stops cleanly on SIGTERM', async () => {
  expect(nodeFlags.some((f) => f.startsWith('--max-old-space-size='))).toBe(true);
  const dlq = await broker.queue('dlq');
  for (let i = 0; i < TOTAL; i++) {
    broker.channel.sendToQueue(dlq, Buffer.from(JSON.stringify({ n: i })), {
      messageId: `built-${i}`, contentType: 'application/json',
      headers: { 'x-first-death-queue': 'orders', 'x-first-death-reason': 'rejected', 'x-first-death-exchange': '' },
    });
  }
  await waitFor(async () => (await broker.messageCount(dlq)) === TOTAL, { timeoutMs: 10_000, what: `${TOTAL} dead letters queued` });
  await addSources({ actor: SYSTEM, queues: [dlq] });

  const worker = startBuiltWorker();
  await waitFor(async () => (await prisma().message.count({ where: { sourceQueue: dlq } })) === TOTAL && (await broker.messageCount(dlq)) === 0, {
    timeoutMs: 60_000, intervalMs: 100, what: 'every dead letter stored and the queue drained',
  });

  const email = `built-${randomBytes(3).toString('hex')}@example.com`;
  const operator = await createUser({ actor: SYSTEM, email, password: `pw-${randomBytes(8).toString('hex')}`, role: 'operator' });
  const { job } = await createJob({
    actor: { kind: 'user', id: operator.id, email, role: 'operator' },
    input: ZJobRequest.parse({ action: 'discard', selection: { filters: { source: dlq }, expectedCount: TOTAL }, ratePerSecond: 200 }),
  });
  const finished = await waitFor(async () => {
    const row = await prisma().bulkJob.findUniqueOrThrow({ where: { id: job.id } });
    return ['completed', 'failed', 'halted'].includes(row.status) ? row : undefined;
  }, { timeoutMs: 60_000, intervalMs: 100, what: 'the bulk job to finish' });
  expect(finished).toMatchObject({ status: 'completed', done: TOTAL, failed: 0 });
  expect(worker.messages()).toContain('bulk jobs: a job is runnable; starting the job thread');

  worker.child.kill('SIGTERM');
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  const said = worker.messages();
  expect(said.at(-1)).toBe('stopped');
  expect(said.filter((m) => m.startsWith('bulk jobs: the job thread'))).toEqual([]);
}, 150_000);
