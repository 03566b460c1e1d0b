import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { canActor } from '../permissions/require-permission';
import { RETENTION_AUDIT } from '../ownership/ownership-audit-actions';
import { toPolicyDto, type TRetentionPolicy } from './retention-policy-dto';

export type TPurgeSummary = { at: string; total: number; counts: { sourceQueue: string; status: string; count: number }[] };

export type TRetentionOverview = {
  policies: TRetentionPolicy[];
  /** The sources a policy can name, besides '*'. */
  sources: string[];
  /** The most recent purges (each a batch), newest first. */
  lastPurges: TPurgeSummary[];
};

/** Admins (who change them) and auditors (who answer "how long do we keep what?") read the policies. */
export async function listRetentionPolicies({ actor }: { actor: TActor }): Promise<TRetentionOverview> {
  if (!canActor(actor, 'settings:manage') && !canActor(actor, 'audit:read')) throw new AppError('FORBIDDEN', 'This needs the settings:manage or audit:read permission');
  const db = prisma();
  const [policies, sources, purges] = await Promise.all([
    db.retentionPolicy.findMany({ orderBy: [{ sourceQueue: 'asc' }, { status: 'asc' }] }),
    db.source.findMany({ orderBy: { queue: 'asc' }, select: { queue: true } }),
    db.auditEvent.findMany({ where: { action: RETENTION_AUDIT.purged }, orderBy: { id: 'desc' }, take: 5, select: { at: true, after: true } }),
  ]);
  const queues = new Set(sources.map((s) => s.queue));
  // A policy for a source that was removed still applies to its stored messages: list it.
  for (const p of policies) if (p.sourceQueue !== '*') queues.add(p.sourceQueue);
  return {
    policies: policies.map(toPolicyDto),
    sources: [...queues].sort(),
    lastPurges: purges.map((e) => {
      const after = (e.after ?? {}) as { total?: number; counts?: TPurgeSummary['counts'] };
      return { at: e.at.toISOString(), total: after.total ?? 0, counts: after.counts ?? [] };
    }),
  };
}
