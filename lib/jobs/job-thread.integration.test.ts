import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { waitFor } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { startJobRunnerThread } from './run-jobs';

// The job engine's thread costs a second V8 isolate, so the worker holds it only while a
// job is queued, running or in its canary: started at the next check after one appears,
// stopped once none has been left for the idle time.

let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  db = await createTestDatabase('jobthread');
});
afterAll(async () => {
  await db?.drop();
});

describe('the job thread', () => {
  it('starts when a job is queued and stops after none is runnable for the idle time', async () => {
    const runner = startJobRunnerThread({ pollMs: 100, leaseMs: 5000, idleMs: 1500 });
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(runner.threadRunning()).toBe(false);

      // A job whose requester does not exist: the thread takes it and fails it, after which nothing is runnable.
      const [job] = await prisma().$queryRaw<{ id: string }[]>`
        INSERT INTO bulk_jobs (id, kind, status, input, selection, total, rate_per_second, created_by, created_by_key)
        VALUES (gen_random_uuid(), 'discard', 'queued', '{}'::jsonb, '{}'::jsonb, 0, 10, 'nobody@example.com', 'user:00000000-0000-0000-0000-000000000000')
        RETURNING id::text`;
      await waitFor(async () => runner.threadRunning(), { timeoutMs: 5000, intervalMs: 20, what: 'the job thread to start' });
      await waitFor(async () => (await prisma().bulkJob.findUniqueOrThrow({ where: { id: job!.id } })).status === 'failed', { timeoutMs: 20_000, what: 'the job to fail' });
      expect(runner.threadRunning()).toBe(true);
      await waitFor(async () => !runner.threadRunning(), { timeoutMs: 10_000, intervalMs: 50, what: 'the job thread to stop' });
    } finally {
      await runner.stop();
    }
    expect(runner.threadRunning()).toBe(false);
  }, 40_000);
});
