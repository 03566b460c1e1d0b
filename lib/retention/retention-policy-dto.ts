import { z } from 'zod';
import type { RetentionPolicy } from '../db/generated/client';
import { MESSAGE_STATUSES, type TMessageStatus } from '../messages/message-dto';
import { ZQueueName } from '../validation/broker-names';

// How long messages of a source ('*': every source) in a status are kept after their
// status last changed. No row: kept for ever; a row with days null: kept for ever for that
// source even when '*' says otherwise. docs/decisions/0017-ownership-rules-and-retention.md.

export const ANY_SOURCE = '*';

/**
 * Only resolved messages are ever purged: one replayed, redirected or discarded. A message
 * still waiting for someone (new, edited, failed) is kept whatever a policy says, and so is
 * a publish in flight (replaying, redirecting): its outcome has yet to be recorded.
 */
export const RETAINABLE_STATUSES = ['replayed', 'redirected', 'discarded'] as const satisfies readonly TMessageStatus[];
export type TRetainableStatus = (typeof RETAINABLE_STATUSES)[number];
export const UNRESOLVED_STATUSES = ['new', 'edited', 'failed'] as const satisfies readonly TMessageStatus[];

export const MAX_RETENTION_DAYS = 36_500;

const ZSource = z.union([z.literal(ANY_SOURCE), ZQueueName], { error: `sourceQueue must be a queue name or "${ANY_SOURCE}" for every source` });
const ZStatus = z.enum(RETAINABLE_STATUSES, {
  error: (issue) => {
    const allowed = `a policy is for ${RETAINABLE_STATUSES.join(', ')} messages`;
    if ((UNRESOLVED_STATUSES as readonly unknown[]).includes(issue.input)) return `status ${String(issue.input)}: unresolved messages (${UNRESOLVED_STATUSES.join(', ')}) are never purged; ${allowed}`;
    if (issue.input === 'replaying' || issue.input === 'redirecting') return `status ${issue.input}: messages being published are never purged; ${allowed}`;
    return `status must be one of ${RETAINABLE_STATUSES.join(', ')} (unresolved messages are never purged)`;
  },
});
/** A policy to remove may name any status: one set before only resolved messages could have one is removable. */
const ZAnyStatus = z.enum(MESSAGE_STATUSES, { error: `status must be one of ${MESSAGE_STATUSES.join(', ')}` });

/** The body of PUT /api/v1/retention. */
export const ZRetentionPolicyInput = z.strictObject({
  sourceQueue: ZSource,
  status: ZStatus,
  days: z
    .number({ error: 'days must be a number of days, or null for ever' })
    .int('days must be a whole number')
    .min(1, 'days is at least 1')
    .max(MAX_RETENTION_DAYS, `days is at most ${MAX_RETENTION_DAYS}`)
    .nullable(),
});
export type TRetentionPolicyInput = z.input<typeof ZRetentionPolicyInput>;

/** The body of DELETE /api/v1/retention: which policy to remove. */
export const ZRetentionPolicyKey = z.strictObject({ sourceQueue: ZSource, status: ZAnyStatus });
export type TRetentionPolicyKey = z.input<typeof ZRetentionPolicyKey>;

export type TRetentionPolicy = { sourceQueue: string; status: TMessageStatus; days: number | null; updatedBy: string; updatedAt: string };

export function toPolicyDto(row: RetentionPolicy): TRetentionPolicy {
  return { sourceQueue: row.sourceQueue, status: row.status, days: row.days, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() };
}
