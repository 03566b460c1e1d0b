// The console's status (GET /api/v1/status) as the browser receives it, and the words the
// banner shows for it. No server imports: the banner's client component reads this file.

export type TBrokerProblem = {
  kind: 'broker';
  /** When the console (or, earlier, a worker) first found RabbitMQ unreachable. */
  since: string;
  /** What the workers say: some are reconnecting, all are still connected, or none is running. */
  workers: 'reconnecting' | 'connected' | 'none';
};
export type TWorkerBrokerProblem = {
  kind: 'worker-broker';
  since: string;
  /** Workers without a RabbitMQ connection, of the workers running. */
  down: number;
  of: number;
};
export type TNoWorkerProblem = {
  kind: 'no-worker';
  /** The last heartbeat of any worker; null when none was ever seen (or the last one stopped cleanly). */
  since: string | null;
};
export type TDatabaseProblem = { kind: 'database'; since: string };
export type TStatusProblem = TBrokerProblem | TWorkerBrokerProblem | TNoWorkerProblem | TDatabaseProblem;

export type TConsoleStatus = {
  status: 'ok' | 'degraded';
  checkedAt: string;
  problems: TStatusProblem[];
};

export type TProblemText = { title: string; detail: string };

const WAITING = 'dead letters wait in their queues and replays in the outbox; nothing is lost';

/** "RabbitMQ unreachable from the console since 03:12", "the worker is reconnecting; ...": `since` is the time already formatted for the reader. */
export function describeProblem(problem: TStatusProblem, since: (iso: string) => string): TProblemText {
  switch (problem.kind) {
    case 'broker':
      return {
        title: `RabbitMQ unreachable from the console since ${since(problem.since)}`,
        detail: problem.workers === 'connected'
          ? 'the worker is still connected and ingesting; queue depths cannot be shown until the console reaches it again'
          : problem.workers === 'reconnecting'
            ? `the worker is reconnecting; ${WAITING}`
            : WAITING,
      };
    case 'worker-broker':
      return {
        title: problem.down === problem.of
          ? `The worker cannot reach RabbitMQ since ${since(problem.since)}`
          : `${problem.down} of ${problem.of} workers cannot reach RabbitMQ since ${since(problem.since)}`,
        detail: problem.down === problem.of ? `it is reconnecting; ${WAITING}` : 'they are reconnecting; the others keep ingesting and replaying',
      };
    case 'no-worker':
      return {
        title: problem.since ? `No worker has reported since ${since(problem.since)}` : 'No worker is running',
        detail: `nothing is ingested or replayed until one runs (npm run worker); ${WAITING}`,
      };
    case 'database':
      return {
        title: `PostgreSQL unreachable from the console since ${since(problem.since)}`,
        detail: 'pages cannot load or refresh; the worker leaves dead letters in their queues until it is back, nothing is lost',
      };
  }
}
