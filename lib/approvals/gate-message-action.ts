import { actorKey, type TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { approvalGrounds } from './approval-grounds';
import type { TApprovalKind, TApprovalMarker, TPendingApproval } from './approval-kinds';
import { requestApproval } from './request-approval';

// The four-eyes gate of a single-message replay, redirect or discard, called inside the
// action's transaction once the action is known to be possible (message locked, version
// current, target valid): a message of a protected source is not acted on but sent for
// approval. An action carrying an approval marker is the approved execution itself: the
// marker is checked against the stored request instead.

type TGateRequest = { actor: TActor; approval?: TApprovalMarker; requestId?: string; job?: { id: string } };

export async function gateMessageAction(
  tx: Prisma.TransactionClient,
  { request, kind, messageId, input }: { request: TGateRequest; kind: TApprovalKind; messageId: bigint; input: { reason?: string | null } },
): Promise<TPendingApproval | null> {
  // A bulk job's item: the job was gated as a whole when it was created (lib/jobs/create-job.ts).
  if (request.job) return null;
  if (request.approval) {
    await requireApprovalCovers(tx, { marker: request.approval, actor: request.actor, kind, messageId });
    return null;
  }
  const grounds = await approvalGrounds(tx, { kind, messageIds: [messageId] });
  if (grounds.length === 0) return null;
  // The message row is locked: two requests for it cannot both pass this check.
  const [waiting] = await tx.$queryRaw<{ id: string; kind: string; requestedBy: string }[]>`
    SELECT id::text, kind, requested_by AS "requestedBy" FROM approval_requests
    WHERE status = 'pending' AND ${messageId} = ANY(message_ids) AND cardinality(message_ids) = 1
    ORDER BY requested_at LIMIT 1`;
  if (waiting) {
    throw new AppError(
      'CONFLICT',
      `Message ${messageId} already waits for approval of a ${waiting.kind} requested by ${waiting.requestedBy}; it is decided or cancelled first`,
      { approval: { id: waiting.id } },
    );
  }
  return requestApproval(
    { actor: request.actor, kind, messageIds: [messageId], input: toJsonObject(input), reason: input.reason ?? null, requestId: request.requestId },
    tx,
  );
}

/** The marker names an approved, unfinished request of this kind, by this requester, that includes this message. */
async function requireApprovalCovers(
  tx: Prisma.TransactionClient,
  { marker, actor, kind, messageId }: { marker: TApprovalMarker; actor: TActor; kind: TApprovalKind; messageId: bigint },
) {
  const row = await tx.approvalRequest.findUnique({
    where: { id: marker.id },
    select: { kind: true, status: true, executedAt: true, requestedByKey: true, decidedBy: true, messageIds: true, jobId: true },
  });
  // A bulk job's request lists its first ids only: the job's frozen items are what was approved.
  const listed = row?.jobId
    ? (await tx.bulkJobItem.count({ where: { jobId: row.jobId, messageId } })) > 0
    : row?.messageIds.includes(messageId) ?? false;
  const covers =
    row !== null && row.kind === kind && row.status === 'approved' && row.executedAt === null &&
    row.requestedByKey === actorKey(actor) && row.decidedBy === marker.approvedBy && listed;
  if (!covers) throw new AppError('FORBIDDEN', `Approval ${marker.id} does not cover this ${kind} of message ${messageId}`);
}

/** Plain JSON (no undefined, no class instances), as the request stores it. */
function toJsonObject(input: object): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(input)) as Prisma.InputJsonObject;
}
