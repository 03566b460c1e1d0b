import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { prisma, type TPrisma } from '../db/prisma';
import { AppError } from '../errors';
import type { TEachOutcome } from '../messages/act-on-each-message';
import type { TMessageStatus } from '../messages/message-dto';
import { requirePermission } from '../permissions/require-permission';
import { toApprovalSummary, type TApprovalDetail } from './approval-dto';
import { isApprovalId } from './approval-query';
import { areMessagesInScope } from './require-messages-in-scope';
import { isJobInScope } from '../jobs/get-job';

const SHOWN_MESSAGES = 100;

/** One request with all its message ids, the first messages as they are now, and the execution's result. */
export async function getApproval({ actor, id }: { actor: TActor; id: string }): Promise<TApprovalDetail> {
  requirePermission(actor, 'messages:read');
  const row = await findApprovalInScope(prisma(), actor, id);
  const messages = await prisma().message.findMany({
    where: { id: { in: row.messageIds.slice(0, SHOWN_MESSAGES) } },
    select: { id: true, sourceQueue: true, originQueue: true, status: true, version: true },
    orderBy: { id: 'asc' },
  });
  return {
    ...toApprovalSummary(row, actor),
    messageIds: row.messageIds.map(String),
    messages: messages.map((m) => ({ id: String(m.id), source: m.sourceQueue, origin: m.originQueue, status: m.status as TMessageStatus, version: m.version })),
    // A bulk job's outcome is the job's own (/jobs/<id>), not a per-message list.
    result: row.jobId ? null : (row.result as TEachOutcome | null),
  };
}

/**
 * The request, locked for the rest of `db`'s transaction when `forUpdate`. Unknown, and
 * out of the caller's team scope, are the same 404.
 */
export async function findApprovalInScope(client: Prisma.TransactionClient | TPrisma, actor: TActor, id: string, { forUpdate = false } = {}) {
  const db = client as Prisma.TransactionClient;
  const notFound = new AppError('NOT_FOUND', `No approval request with id ${JSON.stringify(id.slice(0, 40))}`);
  if (!isApprovalId(id)) throw notFound;
  if (forUpdate) await db.$executeRaw`SELECT 1 FROM approval_requests WHERE id = ${id}::uuid FOR UPDATE`;
  const row = await db.approvalRequest.findUnique({ where: { id } });
  if (!row || !(await areMessagesInScope(db, actor, row.messageIds))) throw notFound;
  // A bulk job's request lists its first ids only; the job's scope decides the rest.
  if (row.jobId) {
    const job = await db.bulkJob.findUnique({ where: { id: row.jobId }, select: { scopeTeamIds: true } });
    if (!job || !isJobInScope(actor, job)) throw notFound;
  }
  return row;
}
