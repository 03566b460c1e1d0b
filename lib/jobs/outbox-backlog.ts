import type { Prisma } from '../db/generated/client';
import type { TPrisma } from '../db/prisma';
import type { TJobKind } from './job-input';

// A job's rate is the target queue's, but a job only writes the outbox: the dispatcher
// publishes. A job that publishes holds while more than OUTBOX_AHEAD_MS of its rate is
// due in the outbox and unpublished (the broker is away, or the dispatcher cannot keep
// up), so the target queue never gets that backlog as one burst (docs/decisions/0016).

const OUTBOX_AHEAD_MS = 2000;
const OUTBOX_MIN = 200;

type TDb = Prisma.TransactionClient | TPrisma;

/** A replay or a redirect writes the outbox; a discard publishes nothing, so it never holds. */
export function publishes(kind: TJobKind | string): boolean {
  return kind !== 'discard';
}

/** How many due, unpublished outbox rows a job at this rate may leave before it holds; null for a job that publishes nothing. */
export function outboxLimit(kind: TJobKind | string, ratePerSecond: number): number | null {
  if (!publishes(kind)) return null;
  return Math.max(OUTBOX_MIN, Math.ceil((ratePerSecond * OUTBOX_AHEAD_MS) / 1000));
}

/**
 * Due, unpublished outbox rows, counted up to `cap` (retries waiting for their time do not
 * count). Reads at most `cap` entries of the pending outbox index, so it stays cheap however
 * far behind the outbox is.
 */
export async function dueOutboxRows(client: TDb, cap: number): Promise<number> {
  const [row] = await (client as Prisma.TransactionClient).$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM dispatches WHERE state = 'pending' AND next_attempt_at <= now() LIMIT ${cap}) due`;
  return row!.n;
}
