import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/generated/client';
import type { TDispatchKind } from '../messages/message-dto';
import type { TLockedMessage } from '../messages/run-message-action';

// Writes the outbox rows of one action, inside the action's transaction. The NOTIFY is
// delivered on commit only, so a dispatcher never wakes for an intent that rolled back.

export const DISPATCH_CHANNEL = 'dlq_dispatch';

export type TDispatchIntent = {
  kind: TDispatchKind;
  exchange: string;
  routingKey: string;
  teamId?: string;
  teamName?: string;
  sandboxId?: string;
  sandboxName?: string;
};

export function describeTarget(d: { exchange: string; routingKey: string; teamName?: string | null; sandboxName?: string | null }): string {
  const where = d.exchange === '' ? `queue ${d.routingKey}` : `exchange ${d.exchange} with routing key ${d.routingKey}`;
  if (d.sandboxName) return `sandbox ${d.sandboxName}, ${where}`;
  if (d.teamName) return `team ${d.teamName}, ${where}`;
  return where;
}

export async function createDispatches(
  tx: Prisma.TransactionClient,
  { message, revisionId, intents, actor, reason, notify = true }: {
    message: TLockedMessage; revisionId: bigint | null; intents: TDispatchIntent[]; actor: string; reason: string | null;
    /** false: the caller wakes the dispatchers itself, once for many actions (a bulk job); each NOTIFY serialises commits. */
    notify?: boolean;
  },
) {
  const earlier = await tx.dispatch.count({ where: { messageId: message.id, kind: { not: 'sandbox' } } });
  const actionId = randomUUID();
  const rows = intents.map((intent) => ({
    id: randomUUID(),
    actionId,
    messageId: message.id,
    revisionId,
    replayCount: message.replayCount + earlier + 1,
    actor,
    reason,
    ...intent,
  }));
  await tx.dispatch.createMany({ data: rows });
  if (notify) await tx.$executeRaw`SELECT pg_notify(${DISPATCH_CHANNEL}, ${actionId})`;
  return { actionId, dispatches: rows.map((r) => ({ id: r.id, target: describeTarget(r) })) };
}
