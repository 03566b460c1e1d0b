import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { prisma } from '../db/prisma';
import { log } from '../log';
import { runPeriodic, type TPeriodic } from './run-periodic';

// Every intervalMs the worker writes its row in worker_heartbeats: readiness wants a recent
// one, and the row says which sources this replica consumes. The database's clock stamps
// it (seen_at = now()), so replicas with skewed clocks compare fairly. A clean shutdown
// deletes the row; rows of workers that died are pruned after a day. The row also carries
// since when the worker's RabbitMQ connection is down (null while connected): the console's
// status banner says "the worker is reconnecting" from it, which no web replica can see.

export type THeartbeat = TPeriodic & { workerId: string };

const PRUNE_AFTER = '1 day';

export function newWorkerId() {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export async function beat({ workerId, startedAt, consuming, brokerDownSince = null }: {
  workerId: string;
  startedAt: Date;
  consuming: string[];
  brokerDownSince?: Date | null;
}) {
  await prisma().$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, seen_at, consuming, broker_down_since)
    VALUES (${workerId}, ${hostname()}, ${process.pid}, ${startedAt}, now(), ${consuming}::text[], ${brokerDownSince}::timestamptz)
    ON CONFLICT (worker_id) DO UPDATE SET seen_at = now(), consuming = EXCLUDED.consuming, broker_down_since = EXCLUDED.broker_down_since`;
  await prisma().$executeRaw`DELETE FROM worker_heartbeats WHERE seen_at < now() - ${PRUNE_AFTER}::interval`;
}

export function startHeartbeat({ intervalMs, consuming, brokerDownSince = () => null, workerId = newWorkerId() }: {
  intervalMs: number;
  /** The source queues consumed right now (runWorker's consuming()). */
  consuming: () => string[];
  /** Since when the worker has no RabbitMQ connection, null while it has one (runWorker's brokerDownSince()). */
  brokerDownSince?: () => Date | null;
  workerId?: string;
}): THeartbeat {
  const startedAt = new Date();
  const periodic = runPeriodic({
    name: 'heartbeat',
    intervalMs,
    step: async () => {
      await beat({ workerId, startedAt, consuming: consuming(), brokerDownSince: brokerDownSince() });
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
