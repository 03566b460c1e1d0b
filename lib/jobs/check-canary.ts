import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';

// The canary's verdict, once its messages were acted on: wait while their publishes are in
// flight, then for the configured time; halt as soon as one of them dead-letters again (a
// stored message whose replay id is one of the canary's dispatches, read from the console
// headers at ingest) or its publish failed, or its action was refused; pass when the wait
// ends with none of that.

export type TCanaryVerdict = { state: 'wait' } | { state: 'passed' } | { state: 'halt'; reason: string };

const NAMED = 5;

export async function checkCanary(jobId: string): Promise<TCanaryVerdict> {
  const db = prisma();
  const items = await db.$queryRaw<{ messageId: bigint; state: string; error: string | null; dispatchId: string | null; dispatchState: string | null; lastError: string | null }[]>`
    SELECT i.message_id AS "messageId", i.state, i.error, d.id::text AS "dispatchId", d.state AS "dispatchState", d.last_error AS "lastError"
    FROM bulk_job_items i LEFT JOIN dispatches d ON d.action_id = i.action_id
    WHERE i.job_id = ${jobId}::uuid AND i.canary
    ORDER BY i.position`;
  const refused = items.filter((i) => i.state === 'failed');
  if (refused.length > 0) {
    return { state: 'halt', reason: `Canary halted: ${list(refused.map((i) => `message ${i.messageId} was not acted on (${i.error})`))}` };
  }
  const failed = items.filter((i) => i.dispatchState === 'failed');
  if (failed.length > 0) {
    return { state: 'halt', reason: `Canary halted: the publish failed for ${list(failed.map((i) => `message ${i.messageId} (${i.lastError})`))}` };
  }
  const dispatchIds = items.flatMap((i) => (i.dispatchId ? [i.dispatchId] : []));
  const redeaths = await redeathsOf(db, dispatchIds);
  if (redeaths.length > 0) {
    return {
      state: 'halt',
      reason: `Canary halted: ${redeaths.length === 1 ? 'a canary message' : `${redeaths.length} canary messages`} dead-lettered again: ${list(
        redeaths.map((r) => `message ${r.id} (the replay of message ${r.originalMessageId ?? '?'} with replay id ${r.replayId}, ${r.reason}${r.originQueue ? ` in ${r.originQueue}` : ''})`),
      )}`,
    };
  }
  if (items.some((i) => i.dispatchState === 'pending')) return { state: 'wait' };
  // Every canary publish is confirmed: the wait starts now (once).
  const [job] = await db.$queryRaw<{ due: boolean }[]>`
    UPDATE bulk_jobs SET canary_until = COALESCE(canary_until, now() + canary_wait_ms * interval '1 millisecond')
    WHERE id = ${jobId}::uuid RETURNING canary_until <= now() AS due`;
  return job?.due ? { state: 'passed' } : { state: 'wait' };
}

async function redeathsOf(db: Prisma.TransactionClient | ReturnType<typeof prisma>, dispatchIds: string[]) {
  if (dispatchIds.length === 0) return [];
  return (db as Prisma.TransactionClient).$queryRaw<{ id: bigint; replayId: string; originalMessageId: bigint | null; reason: string; originQueue: string | null }[]>`
    SELECT id, replay_id::text AS "replayId", original_message_id AS "originalMessageId", reason::text AS reason, origin_queue AS "originQueue"
    FROM messages WHERE replay_id = ANY(${dispatchIds}::uuid[]) ORDER BY id LIMIT 50`;
}

function list(parts: string[]): string {
  return parts.length <= NAMED ? parts.join('; ') : `${parts.slice(0, NAMED).join('; ')}; and ${parts.length - NAMED} more`;
}
