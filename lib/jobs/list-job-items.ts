import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { findJobInScope } from './get-job';

// A job's frozen messages in order, with what happened to each.

export type TJobItem = {
  position: number;
  messageId: string;
  state: 'pending' | 'done' | 'failed' | 'skipped';
  canary: boolean;
  actionId: string | null;
  error: string | null;
  processedAt: string | null;
};

export async function listJobItems({ actor, id, state, limit = 100, cursor }: {
  actor: TActor;
  id: string;
  state?: TJobItem['state'];
  limit?: number;
  /** The position of the last item of the previous page. */
  cursor?: string;
}): Promise<{ items: TJobItem[]; nextCursor: string | null }> {
  requirePermission(actor, 'messages:read');
  const job = await findJobInScope(prisma(), actor, id);
  const rows = await prisma().bulkJobItem.findMany({
    where: { jobId: job.id, ...(state ? { state } : {}), ...(cursor ? { position: { gt: Number(cursor) } } : {}) },
    orderBy: { position: 'asc' },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      position: r.position,
      messageId: String(r.messageId),
      state: r.state as TJobItem['state'],
      canary: r.canary,
      actionId: r.actionId,
      error: r.error,
      processedAt: r.processedAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.position) : null,
  };
}
