import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { env } from '../env';
import { inspectQueues, type TQueueState } from '../rabbitmq/inspect-queues';
import { requirePermission } from '../permissions/require-permission';
import { isQueueInScope, scopeOf } from '../permissions/team-scope';

export type TSourceSummary = {
  queue: string;
  createdAt: string;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Replays, redirects and discards of its messages need a second person (lib/approvals). */
  protected: boolean;
  /** The worker redirects new messages to the team an ownership rule names (lib/ownership). */
  autoRedirect: boolean;
  /** With autoRedirect: new messages no rule matches go to every team. */
  unmatchedToAllTeams: boolean;
  stored: number;
  unresolved: number;
  lastIngestedAt: string | null;
  /** The broker's view now: backlog and attached consumers (our workers), or why it is unknown. */
  broker: TQueueState;
};

export async function listSources({ actor }: { actor: TActor }): Promise<TSourceSummary[]> {
  requirePermission(actor, 'sources:read');
  const db = prisma();
  const scope = scopeOf(actor);
  const [all, counts] = await Promise.all([
    db.source.findMany({ orderBy: { queue: 'asc' } }),
    // A team-scoped actor counts only the messages it may see.
    db.$queryRaw<{ source_queue: string; stored: bigint; unresolved: bigint; last: Date | null }[]>`
      SELECT source_queue, count(*) AS stored, count(*) FILTER (WHERE status = 'new') AS unresolved,
             max(ingested_at) AS last
      FROM messages
      WHERE ${scope === null} OR origin_queue = ANY(${scope?.origins ?? []}::text[]) OR source_queue = ANY(${scope?.sources ?? []}::text[])
        OR owner_team_id = ANY(${scope?.teamIds ?? []}::uuid[])
      GROUP BY source_queue`,
  ]);
  const bySource = new Map(counts.map((c) => [c.source_queue, c]));
  const sources = all.filter((s) => isQueueInScope(actor, s.queue) || bySource.has(s.queue));
  const [broker] = await Promise.all([
    inspectQueues(env().RABBITMQ_URL, sources.map((s) => s.queue)),
  ]);
  return sources.map((s) => {
    const c = bySource.get(s.queue);
    return {
      queue: s.queue,
      createdAt: s.createdAt.toISOString(),
      lastError: s.lastError,
      lastErrorAt: s.lastErrorAt?.toISOString() ?? null,
      protected: s.protected,
      autoRedirect: s.autoRedirect,
      unmatchedToAllTeams: s.unmatchedToAllTeams,
      stored: Number(c?.stored ?? 0),
      unresolved: Number(c?.unresolved ?? 0),
      lastIngestedAt: c?.last?.toISOString() ?? null,
      broker: broker.get(s.queue) ?? { state: 'unknown', error: 'not inspected' },
    };
  });
}
