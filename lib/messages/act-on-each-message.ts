import type { z } from 'zod';
import type { TActor } from '../actor';
import { isPendingApproval, type TApprovalKind, type TApprovalMarker } from '../approvals/approval-kinds';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { ZRedirectRequest, ZReplayRequest, ZStatusActionRequest } from './action-input';
import { discardMessage } from './discard-message';
import { redirectMessage } from './redirect-message';
import { replayMessage } from './replay-message';
import type { TActionRequest } from './run-message-action';

// One action on many messages (a bulk action, an approved request): each message through
// the same domain function a single action uses, one transaction each, so each is
// permission-checked, version-checked, audited and written to the outbox the same way. A
// message the action refuses is reported and the rest go on; anything else (the database
// gone) stops the run, which a rerun with the same keys resumes without doubling.

export type TEachOutcome = { succeeded: string[]; failed: { messageId: string; error: string }[] };

type TEachRequest = {
  actor: TActor;
  kind: TApprovalKind;
  /** The action's fields without the message: reason, target, team ... */
  input: Record<string, unknown>;
  messageIds: readonly bigint[];
  /** One Idempotency-Key per message, the same on a rerun. */
  keyFor: (messageId: bigint) => string;
  /** The version the requester saw (one message); otherwise each message's version as it is when its turn comes. */
  version?: number;
  approval?: TApprovalMarker;
  requestId?: string;
  /** The caller wakes the dispatchers itself (see TActionRequest). */
  deferNotify?: boolean;
  /** A bulk job's item (see TActionRequest): no version lookup, no per-message gate. */
  job?: { id: string };
};

export async function actOnEachMessage(request: TEachRequest): Promise<TEachOutcome> {
  const outcome: TEachOutcome = { succeeded: [], failed: [] };
  for (const messageId of request.messageIds) {
    try {
      const { result } = await actOnMessage(request, messageId);
      if (isPendingApproval(result)) {
        // Its source became protected after the batch was checked: it waits, like a single action would.
        outcome.failed.push({ messageId: String(messageId), error: `Not acted on: sent for approval (request ${result.approval.id}, ${result.approval.grounds.join(', ')})` });
      } else {
        outcome.succeeded.push(String(messageId));
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome.failed.push({ messageId: String(messageId), error: error.message });
    }
  }
  return outcome;
}

/** One message of a run (a bulk job's item too): its current version unless one was given, its own key. */
export async function actOnMessage(request: Omit<TEachRequest, 'messageIds'>, messageId: bigint) {
  const id = String(messageId);
  const version = request.job ? 1 : request.version ?? (await prisma().message.findUnique({ where: { id: messageId }, select: { version: true } }))?.version;
  if (version === undefined) throw new AppError('NOT_FOUND', `No message with id ${id}`);
  const common: TActionRequest = {
    actor: request.actor,
    id,
    version,
    requestId: request.requestId,
    idempotencyKey: request.keyFor(messageId),
    approval: request.approval,
    fingerprintWithoutVersion: request.version === undefined,
    deferNotify: request.deferNotify,
    job: request.job,
  };
  const body = { ...request.input, version };
  switch (request.kind) {
    case 'replay':
      return replayMessage({ ...common, input: parse(ZReplayRequest, body) });
    case 'redirect':
      return redirectMessage({ ...common, input: parse(ZRedirectRequest, body) });
    case 'discard':
      return discardMessage({ ...common, input: parse(ZStatusActionRequest, body) });
  }
}

/** The input an action of `kind` runs with, parsed from stored fields as actOnMessage parses it (a bulk job's batch path fingerprints the same). */
export function parseActionInput(kind: TApprovalKind, body: Record<string, unknown>) {
  switch (kind) {
    case 'replay':
      return parse(ZReplayRequest, body);
    case 'redirect':
      return parse(ZRedirectRequest, body);
    case 'discard':
      return parse(ZStatusActionRequest, body);
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError('INVALID_INPUT', `The stored action is not valid: "${issue.path.join('.')}" ${issue.message}`);
}
