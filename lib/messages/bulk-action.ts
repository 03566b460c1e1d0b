import { createHash, randomUUID } from 'node:crypto';
import type { TActor } from '../actor';
import { approvalGrounds } from '../approvals/approval-grounds';
import { APPROVAL_PERMISSION, type TPendingApproval } from '../approvals/approval-kinds';
import { requestApproval } from '../approvals/request-approval';
import { requireMessagesInScope } from '../approvals/require-messages-in-scope';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { canonicalJson } from '../ingest/to-dead-letter-row';
import { requirePermission } from '../permissions/require-permission';
import { actOnEachMessage, type TEachOutcome } from './act-on-each-message';
import type { TBulkRequest } from './action-input';
import { claimIdempotencyKey, isIdempotencyKey, storeIdempotentAnswer } from './run-message-action';

// One replay, redirect or discard of many messages. Every message must exist and be in
// the caller's scope, or nothing happens (404 listing the first missing ids). Over the
// approval threshold, or touching a protected source, it becomes one pending approval
// request (docs/decisions/0012); otherwise each message is acted on now, as it is, in its
// own transaction, and the answer lists what succeeded and what failed and why.
//
// An Idempotency-Key covers the whole request: a retry gets the first answer. A retry of
// a run that did not finish runs again, and each message already done answers with its
// stored result (its own key is derived from the request's), so none is acted on twice.

export type TBulkAnswer = TPendingApproval | ({ action: TBulkRequest['action']; total: number } & TEachOutcome);

export async function runBulkAction({ actor, input, requestId, idempotencyKey }: {
  actor: TActor;
  input: TBulkRequest;
  requestId?: string;
  idempotencyKey?: string;
}): Promise<{ answer: TBulkAnswer; replayed: boolean }> {
  const { action: kind, ids, ...fields } = input;
  requirePermission(actor, APPROVAL_PERMISSION[kind]);
  if (idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey)) {
    throw new AppError('INVALID_INPUT', 'Idempotency-Key must be 1 to 200 printable ASCII characters');
  }
  const messageIds = ids.map((id) => BigInt(id));
  const actionInput = JSON.parse(JSON.stringify(fields)) as Record<string, string | boolean | object | null>;
  const requestHash = createHash('sha256').update(`bulk\n${canonicalJson(input)}`).digest('hex');

  const first = await prisma().$transaction(async (tx) => {
    if (idempotencyKey !== undefined) {
      const prior = await claimIdempotencyKey(tx, { actor, key: idempotencyKey, requestHash });
      if (prior?.status === 200) return { kind: 'stored' as const, answer: prior.response as TBulkAnswer };
    }
    await requireMessagesInScope(tx, actor, messageIds);
    const grounds = await approvalGrounds(tx, { kind, messageIds });
    if (grounds.length === 0) return { kind: 'run' as const };
    const pending = await requestApproval({ actor, kind, messageIds, input: actionInput, reason: fields.reason ?? null, requestId }, tx);
    if (idempotencyKey !== undefined) await storeIdempotentAnswer(tx, { actor, key: idempotencyKey, response: pending });
    return { kind: 'pending' as const, answer: pending };
  }, { maxWait: 10_000, timeout: 60_000 });
  if (first.kind !== 'run') return { answer: first.answer, replayed: first.kind === 'stored' };

  const batch = batchKey(idempotencyKey ?? requestId ?? randomUUID());
  const outcome = await actOnEachMessage({ actor, kind, input: actionInput, messageIds, keyFor: (id) => `bulk:${batch}:${id}`, requestId });
  const answer = { action: kind, total: messageIds.length, ...outcome };
  if (idempotencyKey !== undefined) {
    await prisma().$transaction((tx) => storeIdempotentAnswer(tx, { actor, key: idempotencyKey, response: answer }));
  }
  return { answer, replayed: false };
}

/** The request's key inside each message's key, short enough that `bulk:<it>:<id>` stays a valid key. */
function batchKey(key: string): string {
  return key.length <= 160 ? key : createHash('sha256').update(key).digest('hex');
}
