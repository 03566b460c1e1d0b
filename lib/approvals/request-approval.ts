import { randomUUID } from 'node:crypto';
import { actorKey, actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { approvalGrounds } from './approval-grounds';
import { APPROVAL_PERMISSION, type TApprovalKind, type TPendingApproval } from './approval-kinds';
import { describeApproval } from './describe-approval';
import { requireMessagesInScope } from './require-messages-in-scope';

export type TApprovalRequestInput = {
  actor: TActor;
  kind: TApprovalKind;
  messageIds: readonly bigint[];
  /** The action as the requester sent it, without the message list (a single message's includes the version they saw). */
  input: Prisma.InputJsonObject;
  reason?: string | null;
  requestId?: string;
  /**
   * A bulk job's approval (lib/jobs): `messageIds` are its first ids only (the job holds
   * them all), and the grounds were judged on the whole selection.
   */
  job?: { id: string; total: number; grounds: string[] };
};

/**
 * Creates a pending request for a second person, with its 'approval.requested' event.
 * The requester must be allowed to do the action themselves, on every message, now: an
 * approval adds a second pair of eyes, never a permission. Runs inside `tx` when given
 * (the single-message gate and the bulk action, which also hold a key or a lock there).
 */
export async function requestApproval(request: TApprovalRequestInput, tx?: Prisma.TransactionClient): Promise<TPendingApproval> {
  const { actor, kind } = request;
  requirePermission(actor, APPROVAL_PERMISSION[kind]);
  const messageIds = [...new Set(request.messageIds)];
  if (messageIds.length === 0) throw new AppError('INVALID_INPUT', 'An approval request needs at least one message');
  return tx ? create(tx, request, messageIds) : prisma().$transaction((t) => create(t, request, messageIds), { maxWait: 10_000, timeout: 60_000 });
}

async function create(tx: Prisma.TransactionClient, request: TApprovalRequestInput, messageIds: bigint[]): Promise<TPendingApproval> {
  const { actor, kind, job } = request;
  await requireMessagesInScope(tx, actor, messageIds);
  const grounds = job ? job.grounds : await approvalGrounds(tx, { kind, messageIds });
  if (grounds.length === 0) throw new AppError('INVALID_INPUT', 'This action needs no approval: it touches no protected source and not more messages than the threshold');
  const id = randomUUID();
  const reason = request.reason ?? null;
  const input: Prisma.InputJsonObject = job ? { ...request.input, job: { id: job.id, total: job.total } } : request.input;
  const messageCount = job ? job.total : messageIds.length;
  await tx.approvalRequest.create({
    data: {
      id, kind, input, messageIds, grounds, reason, jobId: job?.id ?? null,
      requestedBy: actorLabel(actor), requestedByKey: actorKey(actor),
    },
  });
  await recordAuditEvent(tx, {
    actor: actorLabel(actor),
    action: 'approval.requested',
    subject: `approval:${id}`,
    // One message: the request shows on its timeline.
    messageId: messageIds.length === 1 ? messageIds[0] : undefined,
    reason,
    requestId: request.requestId,
    target: describeApproval(kind, input, messageCount),
    after: { approval: id, kind, status: 'pending', grounds, messageCount, messageIds: messageIds.map(String), input, ...(job ? { job: job.id } : {}) },
  });
  return { approval: { id, kind, status: 'pending', grounds, messageCount } };
}
