import type { Prisma } from '../db/generated/client';
import { readSettings } from '../settings/settings-dto';
import type { TApprovalKind } from './approval-kinds';

// Why an action needs a second person: it touches more messages than the threshold
// (settings.approval_threshold, 100 unless an admin changed it), or a message of a
// protected source. No grounds: it runs at once.

export const THRESHOLD_GROUND = 'threshold';
export const PROTECTED_GROUND_PREFIX = 'protected:';

export async function approvalThreshold(db: Prisma.TransactionClient): Promise<number> {
  return (await readSettings(db)).approvalThreshold;
}

/**
 * 'threshold' when there are more messages than the threshold, then 'protected:<queue>'
 * for each protected source among them, by name. Every kind is judged alike today; the
 * kind is part of the question so a rule per action can be added here alone.
 */
export async function approvalGrounds(
  db: Prisma.TransactionClient,
  options: { kind: TApprovalKind; messageIds: readonly bigint[] },
): Promise<string[]> {
  const ids = [...options.messageIds];
  if (ids.length === 0) return [];
  // One after the other: inside a transaction the queries share one connection anyway.
  const threshold = await approvalThreshold(db);
  const protectedSources = await db.$queryRaw<{ queue: string }[]>`
    SELECT DISTINCT m.source_queue AS queue
    FROM messages m JOIN sources s ON s.queue = m.source_queue
    WHERE s.protected AND m.id = ANY(${ids}::bigint[])
    ORDER BY 1`;
  return [
    ...(ids.length > threshold ? [THRESHOLD_GROUND] : []),
    ...protectedSources.map((s) => `${PROTECTED_GROUND_PREFIX}${s.queue}`),
  ];
}
