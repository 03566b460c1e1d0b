import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { recordItemsStatement } from './run-jobs';

// Recording a batch of outcomes must cost at most a pass over the job's items, never items x
// batch: the statement holds the job's row while it runs, so its cost stalls the lease
// renewals and every other write of the job. Joined to the positions alone, the planner (no
// statistics yet for the items of a job just created) compared every pending item of the job
// with every position given (5.2 million comparisons, 2.8 s, for 200 outcomes of a
// 30,000-item job), which made a large job quadratic.

let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  db = await createTestDatabase('recorditems');
});
afterAll(async () => {
  await db?.drop();
});

type TPlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; 'Rows Removed by Join Filter'?: number; 'Rows Removed by Filter'?: number; Plans?: TPlanNode[] };

function nodes(plan: TPlanNode): TPlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function createJob(items: number, state = 'pending'): Promise<string> {
  const id = randomUUID();
  await prisma().bulkJob.create({
    data: { id, kind: 'replay', status: 'running', input: {}, selection: {}, total: items, ratePerSecond: 1000, createdBy: 'user:a', createdByKey: 'user:1', scopeTeamIds: [] },
  });
  // Inserted in one go and not analyzed: what a job looks like to the planner right after it is created.
  await prisma().$executeRaw`INSERT INTO bulk_job_items (job_id, position, message_id, state) SELECT ${id}::uuid, p, p, ${state} FROM generate_series(0, ${items - 1}) AS p`;
  return id;
}

it('handles each item of a 20,000-item job at most once per write, and counts each outcome once', async () => {
  // As a database that has run jobs before looks: the statistics say items are done, not
  // pending (what made the planner expect one row and loop), and the new job is not analyzed.
  await createJob(20_000, 'done');
  await prisma().$executeRaw`ANALYZE bulk_job_items`;
  const jobId = await createJob(20_000);
  const batch = Array.from({ length: 200 }, (_, i) => ({ position: 15_000 + i, outcome: i === 7 ? { state: 'failed' as const, error: 'refused' } : { state: 'done' as const, actionId: randomUUID() } }));
  const statement = recordItemsStatement(jobId, batch);

  const plan = await prisma().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ 'QUERY PLAN': [{ Plan: TPlanNode }] }[]>(Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`);
    throw Object.assign(new Error('rolled back'), { plan: row!['QUERY PLAN'][0].Plan });
  }).catch((error: { plan?: TPlanNode }) => {
    if (!error.plan) throw error;
    return error.plan;
  });
  // Linear in the job's items at worst (a scan of them, or probes of the primary key), never
  // items x batch: every row any node handled, times the loops it ran, and the pairs a join
  // compared and dropped (at most batch x batch, whatever the job's size). The old statement:
  // 4,040,806 rows handled, 3,999,800 pairs dropped.
  const handled = nodes(plan).reduce((sum, n) => sum + (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1) + (n['Rows Removed by Filter'] ?? 0), 0);
  expect(handled).toBeLessThanOrEqual(3 * 20_000);
  expect(nodes(plan).reduce((sum, n) => sum + (n['Rows Removed by Join Filter'] ?? 0), 0)).toBeLessThanOrEqual(batch.length ** 2);

  // The statement itself, twice: the second run finds the items recorded and counts nothing again.
  await prisma().$executeRaw(statement);
  await prisma().$executeRaw(statement);
  expect(await prisma().bulkJob.findUniqueOrThrow({ where: { id: jobId }, select: { done: true, failed: true } })).toEqual({ done: 199, failed: 1 });
  expect(await prisma().bulkJobItem.count({ where: { jobId, state: 'pending' } })).toBe(20_000 - 200);
  expect(await prisma().bulkJobItem.findUniqueOrThrow({ where: { jobId_position: { jobId, position: 15_007 } }, select: { state: true, error: true } })).toEqual({ state: 'failed', error: 'refused' });
});
