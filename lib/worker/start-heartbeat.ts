import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { prisma } from '../db/prisma';
import { log } from '../log';
import { runPeriodic, type TPeriodic } from './run-periodic';

// Every intervalMs the worker writes its row in worker_heartbeats: readiness wants a recent
// one, and the row says which sources this replica consumes. The database's clock stamps
// it (seen_at = now()), so replicas with skewed clocks compare fairly. A clean shutdown
// deletes the row; rows of workers that died are pruned after a day.

export type THeartbeat = TPeriodic & { workerId: string };

const PRUNE_AFTER = '1 day';

export function newWorkerId() {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export async function beat({ workerId, startedAt, consuming }: { workerId: string; startedAt: Date; consuming: string[] }) {
  await prisma().$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, seen_at, consuming)
    VALUES (${workerId}, ${hostname()}, ${process.pid}, ${startedAt}, now(), ${consuming}::text[])
    ON CONFLICT (worker_id) DO UPDATE SET seen_at = now(), consuming = EXCLUDED.consuming`;
  await prisma().$executeRaw`DELETE FROM worker_heartbeats WHERE seen_at < now() - ${PRUNE_AFTER}::interval`;
}

export function startHeartbeat({ intervalMs, consuming, workerId = newWorkerId() }: {
  intervalMs: number;
  /** The source queues consumed right now (runWorker's consuming()). */
  consuming: () => string[];
  workerId?: string;
}): THeartbeat {
  const startedAt = new Date();
  const periodic = runPeriodic({
    name: 'heartbeat',
    intervalMs,
    step: async () => {
      await beat({ workerId, startedAt, consuming: consuming() });
      return false;
    },
  });
  return {
    ...periodic,
    workerId,
    async stop() {
      await periodic.stop();
      // Gone on purpose: readiness should not wait for the row to go stale.
      await prisma().workerHeartbeat.deleteMany({ where: { workerId } })
        .catch((error: unknown) => log.warn('heartbeat: cannot delete this worker\'s row; it goes stale instead', { error }));
    },
  };
}
