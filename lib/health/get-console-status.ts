import { prisma } from '../db/prisma';
import { env } from '../env';
import { log } from '../log';
import { readiness, type TReadinessChecker } from './check-readiness';
import type { TConsoleStatus, TStatusProblem } from './console-status-dto';

// What is down for the whole console, and since when (GET /api/v1/status, the banner on
// every console page). Readiness answers ok/down for a probe; operators need more: since
// when, and what the workers make of it (a worker reconnecting, or still ingesting while
// only this replica is cut off). Three sources:
// - this replica's broker probe, readiness's (cached 5 s, so the banner's polling opens no
//   extra connections);
// - the workers' heartbeats: whether one is fresh, and since when each has been without
//   RabbitMQ (worker_heartbeats.broker_down_since);
// - since when this replica has seen each of them down, kept in memory: a replica that
//   restarts during an outage says "since" its first look, which is the best it knows.

/**
 * A worker reconnecting for less than this is not reported: every worker starts without a
 * connection, and a connection the broker closed is usually back within a second or two.
 */
const WORKER_BROKER_GRACE_SECONDS = 10;

type THeartbeats = { fresh: number; brokerDown: number; brokerDownSince: Date | null; lastSeen: Date | null };

async function readHeartbeats(staleSeconds: number): Promise<THeartbeats> {
  const [row] = await prisma().$queryRaw<{ fresh: number; broker_down: number; broker_down_since: Date | null; last_seen: Date | null }[]>`
    SELECT count(*) FILTER (WHERE fresh)::int AS fresh,
      count(*) FILTER (WHERE fresh AND reconnecting)::int AS broker_down,
      min(broker_down_since) FILTER (WHERE fresh AND reconnecting) AS broker_down_since,
      max(seen_at) AS last_seen
    FROM (
      SELECT seen_at, broker_down_since,
        seen_at > now() - ${staleSeconds} * interval '1 second' AS fresh,
        broker_down_since < now() - ${WORKER_BROKER_GRACE_SECONDS} * interval '1 second' AS reconnecting
      FROM worker_heartbeats
    ) h`;
  return { fresh: row?.fresh ?? 0, brokerDown: row?.broker_down ?? 0, brokerDownSince: row?.broker_down_since ?? null, lastSeen: row?.last_seen ?? null };
}

const earliest = (...dates: (Date | null | undefined)[]) =>
  dates.filter((d): d is Date => d instanceof Date).reduce<Date | null>((a, d) => (a === null || d < a ? d : a), null);

export function createConsoleStatus({ checker, staleSeconds, now = () => new Date() }: {
  checker: TReadinessChecker;
  staleSeconds: number;
  now?: () => Date;
}) {
  const seenDown: Partial<Record<'broker' | 'database' | 'worker', Date>> = {};
  /** When this replica first saw `what` down in the current outage; forgets it once it is up. */
  function track(what: keyof typeof seenDown, down: boolean): Date | null {
    if (!down) {
      delete seenDown[what];
      return null;
    }
    return (seenDown[what] ??= now());
  }

  return {
    async get(): Promise<TConsoleStatus> {
      const [broker, heartbeats] = await Promise.all([
        checker.check(['broker']),
        readHeartbeats(staleSeconds).catch((error: unknown) => {
          log.warn('status: cannot read worker heartbeats', { error });
          return null;
        }),
      ]);
      const problems: TStatusProblem[] = [];
      const databaseSince = track('database', heartbeats === null);
      if (databaseSince) problems.push({ kind: 'database', since: databaseSince.toISOString() });

      const brokerSince = track('broker', broker.status !== 'ok');
      if (brokerSince) {
        const workers = !heartbeats || heartbeats.fresh === 0 ? 'none' : heartbeats.brokerDown > 0 ? 'reconnecting' : 'connected';
        problems.push({ kind: 'broker', since: earliest(brokerSince, heartbeats?.brokerDownSince)!.toISOString(), workers });
      } else if (heartbeats && heartbeats.brokerDown > 0) {
        problems.push({ kind: 'worker-broker', since: heartbeats.brokerDownSince!.toISOString(), down: heartbeats.brokerDown, of: heartbeats.fresh });
      }

      const noWorkerSince = track('worker', heartbeats !== null && heartbeats.fresh === 0);
      if (heartbeats && noWorkerSince) {
        // The last heartbeat says when the workers went; without one (stopped cleanly, or never started) nothing does.
        problems.push({ kind: 'no-worker', since: heartbeats.lastSeen?.toISOString() ?? null });
      }
      return { status: problems.length ? 'degraded' : 'ok', checkedAt: now().toISOString(), problems };
    },
  };
}
export type TConsoleStatusReader = ReturnType<typeof createConsoleStatus>;

const store = globalThis as unknown as { dlqConsoleStatus?: TConsoleStatusReader };

/** This replica's status reader, sharing readiness's cached broker probe. */
export function consoleStatus(): TConsoleStatusReader {
  store.dlqConsoleStatus ??= createConsoleStatus({ checker: readiness(), staleSeconds: env().DLQ_HEARTBEAT_STALE_SECONDS });
  return store.dlqConsoleStatus;
}

/** The status for the banner: every reader sees it (it names no queue, host or message). */
export function getConsoleStatus(): Promise<TConsoleStatus> {
  return consoleStatus().get();
}
