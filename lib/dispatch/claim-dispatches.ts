import { prisma } from '../db/prisma';

// Claims pending dispatches for one dispatcher: a lease, committed before anything is
// published, so replicas never publish the same row at once and a crashed worker's rows
// come back when its lease runs out. `attempts` counts every claim: more than one means
// the broker may have it twice (docs/decisions/0007).

export type TClaimedDispatch = {
  id: string;
  actionId: string;
  messageId: bigint;
  kind: 'replay' | 'redirect' | 'sandbox';
  revisionId: bigint | null;
  exchange: string;
  routingKey: string;
  teamName: string | null;
  sandboxId: string | null;
  sandboxName: string | null;
  replayCount: number;
  attempts: number;
  reason: string | null;
};

export async function claimDispatches({ limit, leaseMs }: { limit: number; leaseMs: number }): Promise<TClaimedDispatch[]> {
  return prisma().$queryRaw<TClaimedDispatch[]>`
    UPDATE dispatches d
    SET attempts = d.attempts + 1, lease_until = now() + ${leaseMs} * interval '1 millisecond'
    WHERE d.id IN (
      SELECT id FROM dispatches
      WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
      ORDER BY next_attempt_at, created_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING d.id::text AS id, d.action_id::text AS "actionId", d.message_id AS "messageId", d.kind,
      d.revision_id AS "revisionId", d.exchange, d.routing_key AS "routingKey", d.team_name AS "teamName",
      d.sandbox_id::text AS "sandboxId", d.sandbox_name AS "sandboxName", d.replay_count AS "replayCount",
      d.attempts, d.reason`;
}
