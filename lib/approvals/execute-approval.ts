import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { actOnEachMessage, type TEachOutcome } from '../messages/act-on-each-message';
import { canActor } from '../permissions/require-permission';
import { APPROVAL_PERMISSION, isApprovalKind } from './approval-kinds';
import { describeApproval } from './describe-approval';
import { holdExecutionLock } from './hold-execution-lock';
import { resolveRequester } from './resolve-requester';

// Runs an approved request, inside the approve call that approved it (synchronously):
// each message through the same domain action a single action uses, as the requester (as
// they stand now), with the Idempotency-Key `approval:<id>:<message id>` and a marker so
// the gate does not ask again. A single-message request acts on the version the requester
// saw, so a message that changed since fails as stale instead of acting on something
// nobody approved; a bulk request acts on each message as it is when its turn comes.
//
// Resuming: if the process dies mid-way the request stays approved and unexecuted, and
// approving it again runs this again. Messages already done answer with their stored
// result (same key), so nothing is done twice; the rest run now. executed_at is set once.

export type TExecution = { state: 'executed' } | { state: 'running' };

export async function executeApproval({ actor, id, requestId }: { actor: TActor; id: string; requestId?: string }): Promise<TExecution> {
  const lock = await holdExecutionLock(id);
  if (!lock) return { state: 'running' };
  try {
    const row = await prisma().approvalRequest.findUnique({ where: { id } });
    if (!row) throw new AppError('NOT_FOUND', `No approval request with id ${id}`);
    if (row.executedAt) return { state: 'executed' };
    if (row.jobId) throw new AppError('CONFLICT', `Approval request ${id} is a bulk job's; the job runs in the worker (/jobs/${row.jobId})`);
    if (row.status !== 'approved' || !row.decidedBy || !isApprovalKind(row.kind)) {
      throw new AppError('CONFLICT', `Approval request ${id} is ${row.status}; only an approved request runs`);
    }
    const kind = row.kind;
    const { version, ...input } = row.input as Record<string, unknown>;
    const permission = APPROVAL_PERMISSION[kind];
    const requester = await resolveRequester(row.requestedByKey, row.requestedBy);
    const refusal = !requester.actor
      ? requester.why
      : !canActor(requester.actor, permission)
        ? `The requester ${row.requestedBy} no longer holds the ${permission} permission`
        : null;
    const outcome: TEachOutcome = refusal || !requester.actor
      ? { succeeded: [], failed: row.messageIds.map((m) => ({ messageId: String(m), error: refusal ?? 'The requester cannot act' })) }
      : await actOnEachMessage({
          actor: requester.actor,
          kind,
          input,
          messageIds: row.messageIds,
          keyFor: (messageId) => `approval:${id}:${messageId}`,
          version: typeof version === 'number' ? version : undefined,
          approval: { id, approvedBy: row.decidedBy },
          requestId,
        });
    await finish({ actor, id, requestId, row: { ...row, kind }, outcome });
    return { state: 'executed' };
  } finally {
    await lock.release();
  }
}

async function finish({ actor, id, requestId, row, outcome }: {
  actor: TActor;
  id: string;
  requestId?: string;
  row: { kind: 'replay' | 'redirect' | 'discard'; input: Prisma.JsonValue; messageIds: bigint[]; requestedBy: string; decidedBy: string | null };
  outcome: TEachOutcome;
}) {
  const failed = outcome.failed.length;
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.approvalRequest.updateMany({ where: { id, executedAt: null }, data: { executedAt: new Date(), result: outcome } });
    if (count === 0) return; // another run finished first
    await recordAuditEvent(tx, {
      actor: actorLabel(actor),
      action: 'approval.executed',
      subject: `approval:${id}`,
      messageId: row.messageIds.length === 1 ? row.messageIds[0] : undefined,
      requestId,
      target: describeApproval(row.kind, row.input, row.messageIds.length),
      result: `${outcome.succeeded.length} of ${row.messageIds.length} done${failed ? `, ${failed} failed` : ''}`,
      outcome: failed ? 'failed' : 'succeeded',
      after: {
        approval: id, requestedBy: row.requestedBy, approvedBy: row.decidedBy,
        succeeded: outcome.succeeded.length, failed: outcome.failed.slice(0, 100),
      },
    });
  });
}
