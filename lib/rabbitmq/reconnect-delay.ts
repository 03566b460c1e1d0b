// How long the worker's loops wait after failing to reach RabbitMQ (or PostgreSQL) before
// trying again: 0.5 s doubling, capped. The cap is how long after the broker's return
// ingest and replays may still be waiting (a NOTIFY does not cut the dispatcher's wait
// short, run-dispatcher.ts says why): 5 s, where it was 30 s. One attempt per replica
// every 5 s during an outage costs the broker nothing.

export const MAX_RECONNECT_DELAY_MS = 5_000;

/** The wait after failed attempt `attempt` (0 for the first failure). */
export function reconnectDelayMs(attempt: number, maxMs = MAX_RECONNECT_DELAY_MS): number {
  return Math.min(maxMs, 500 * 2 ** Math.min(attempt, 30));
}
