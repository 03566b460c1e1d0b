import { createHash } from 'node:crypto';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent, type TAuditEventInput } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireMessageInScope } from '../permissions/team-scope';
import type { TPermission } from '../permissions/roles';
import { canonicalJson } from '../ingest/to-dead-letter-row';
import type { TApprovalMarker, TPendingApproval } from '../approvals/approval-kinds';
import { parseMessageId } from './get-message';
import type { TMessageStatus } from './message-dto';

// The frame every operator action on a message runs in (docs/decisions/0007): one
// transaction that claims the Idempotency-Key, locks the message, checks the version the
// caller saw, runs the action (its change and its outbox rows), bumps the version and
// records the action's audit event, last. A stale version is a 409 that says what changed since. An action that
// needs a second person (lib/approvals/gate-message-action.ts) changes nothing here: it
// answers with the pending approval, and that answer is what a retry with the same key gets.

export type TActionRequest = {
  actor: TActor;
  id: string;
  /** The message version the caller saw. */
  version: number;
  reason?: string | null;
  requestId?: string;
  idempotencyKey?: string;
  /** Set only by the execution of an approved request (lib/approvals/execute-approval.ts). */
  approval?: TApprovalMarker;
  /**
   * The caller chose the message, not a version of it (a bulk action, an approved bulk):
   * `version` was read just before, and the Idempotency-Key's fingerprint leaves it out,
   * so a rerun after a crash finds the first answer although that answer moved the version on.
   */
  fingerprintWithoutVersion?: boolean;
  /** The caller wakes the dispatchers after many actions (a bulk job) instead of each action notifying on commit. */
  deferNotify?: boolean;
  /**
   * Set only by the bulk job engine (lib/jobs): the message is acted on as it is when its
   * turn comes (no version to compare), and the job's creation already passed the
   * four-eyes gate for its whole frozen selection.
   */
  job?: { id: string };
};

export type TLockedMessage = {
  id: bigint;
  version: number;
  status: TMessageStatus;
  statusBeforeDiscard: TMessageStatus | null;
  originQueue: string | null;
  sourceQueue: string;
  ownerTeamId: string | null;
  reason: string;
  contentType: string | null;
  contentEncoding: string | null;
  replayCount: number;
  replayId: string | null;
  originalMessageId: bigint | null;
  headers: unknown;
};

export const PUBLISHING: readonly TMessageStatus[] = ['replaying', 'redirecting'];

const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

export function isIdempotencyKey(key: string): boolean {
  return /^[\x21-\x7e]{1,200}$/.test(key);
}

/** The stored answer of an action: JSON only, so a retried call gets it back unchanged. */
export type TActionResult = Prisma.InputJsonObject;

/**
 * What an action did: its result, the message's new status and the audit event recording
 * it (written by the frame, last, so the audit chain's lock is held only for the insert
 * and the commit); or nothing yet because it waits for approval.
 */
export type TActOutcome<R, P> =
  | { result: R; status?: TMessageStatus; statusBeforeDiscard?: TMessageStatus | null; audit: TAuditEventInput }
  | { pending: P };

/** `P`: the pending approval, for the actions that can need one (never for an edit or a restore). */
export async function runMessageAction<R extends TActionResult, P extends TPendingApproval = never>(
  request: TActionRequest & { permission: TPermission; action: string; input: unknown },
  act: (tx: Prisma.TransactionClient, message: TLockedMessage, newVersion: number) => Promise<TActOutcome<R, P>>,
): Promise<{ result: R | P; replayed: boolean }> {
  const { actor, version, idempotencyKey } = request;
  requirePermission(actor, request.permission);
  const messageId = parseMessageId(request.id);
  if (!Number.isInteger(version) || version < 1) throw new AppError('INVALID_INPUT', '"version" must be the version of the message you loaded');
  if (idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey)) {
    throw new AppError('INVALID_INPUT', 'Idempotency-Key must be 1 to 200 printable ASCII characters');
  }
  const requestHash = actionRequestHash(request);

  return prisma().$transaction(async (tx) => {
    if (idempotencyKey !== undefined) {
      const prior = await claimIdempotencyKey(tx, { actor, key: idempotencyKey, requestHash });
      if (prior) return { result: prior.response as R | P, replayed: true };
    }

    const [message] = await tx.$queryRaw<TLockedMessage[]>`
      SELECT id, version, status::text AS status, status_before_discard::text AS "statusBeforeDiscard",
        origin_queue AS "originQueue", source_queue AS "sourceQueue", owner_team_id::text AS "ownerTeamId", reason::text AS reason,
        content_type AS "contentType", content_encoding AS "contentEncoding", replay_count AS "replayCount",
        replay_id::text AS "replayId", original_message_id AS "originalMessageId", headers
      FROM messages WHERE id = ${messageId} FOR UPDATE`;
    if (!message) throw new AppError('NOT_FOUND', `No message with id ${request.id}`);
    requireMessageInScope(actor, message);
    if (!request.job && message.version !== version) await throwStale(tx, message, version);

    const newVersion = message.version + 1;
    const outcome = await act(tx, message, newVersion);
    if ('pending' in outcome) {
      if (idempotencyKey !== undefined) await storeIdempotentAnswer(tx, { actor, key: idempotencyKey, response: outcome.pending });
      return { result: outcome.pending, replayed: false };
    }
    await tx.message.update({
      where: { id: messageId },
      data: {
        version: newVersion,
        ...(outcome.status ? { status: outcome.status } : {}),
        ...(outcome.statusBeforeDiscard !== undefined ? { statusBeforeDiscard: outcome.statusBeforeDiscard } : {}),
      },
    });
    if (idempotencyKey !== undefined) await storeIdempotentAnswer(tx, { actor, key: idempotencyKey, response: outcome.result });
    await recordAuditEvent(tx, outcome.audit);
    return { result: outcome.result, replayed: false };
  }, TX_OPTIONS);
}

/** What an Idempotency-Key is bound to: the action, the message and the input (without the version when the caller chose no version). */
export function actionRequestHash(request: Pick<TActionRequest, 'id' | 'fingerprintWithoutVersion'> & { action: string; input: unknown }): string {
  const fingerprinted = request.fingerprintWithoutVersion ? withoutVersion(request.input) : request.input;
  return createHash('sha256').update(`${request.action}\n${request.id}\n${canonicalJson(fingerprinted)}`).digest('hex');
}

/** Keys are scoped by who sent them, by id: token names need not be unique. */
export function idempotencyScope(actor: TActor): string {
  return actor.kind === 'system' ? actorLabel(actor) : `${actor.kind}:${actor.id}`;
}

function withoutVersion(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const { version: _version, ...rest } = input as Record<string, unknown>;
  return rest;
}

/**
 * Claims (actor, key) for this request, or returns the earlier claim of the same request:
 * its stored answer once `status` is 200, still 0 while (or if) it did not finish. A
 * concurrent call with the same key waits here until the first one commits or rolls back;
 * the same key with another request is a 409.
 */
export async function claimIdempotencyKey(
  tx: Prisma.TransactionClient,
  { actor, key, requestHash }: { actor: TActor; key: string; requestHash: string },
): Promise<{ status: number; response: Prisma.JsonValue } | null> {
  const scope = idempotencyScope(actor);
  const claimed = await tx.$executeRaw`
    INSERT INTO idempotent_requests (actor, key, request_hash, status, response)
    VALUES (${scope}, ${key}, ${requestHash}, 0, '{}'::jsonb) ON CONFLICT DO NOTHING`;
  if (claimed === 1) return null;
  const prior = await tx.idempotentRequest.findUniqueOrThrow({ where: { actor_key: { actor: scope, key } } });
  if (prior.requestHash !== requestHash) {
    throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different request; use a new key for a new action');
  }
  return { status: prior.status, response: prior.response };
}

export async function storeIdempotentAnswer(tx: Prisma.TransactionClient, { actor, key, response }: { actor: TActor; key: string; response: Prisma.InputJsonObject }) {
  await tx.idempotentRequest.update({ where: { actor_key: { actor: idempotencyScope(actor), key } }, data: { status: 200, response } });
}

async function throwStale(tx: Prisma.TransactionClient, message: TLockedMessage, seen: number): Promise<never> {
  // Every message action writes the version it produced into its audit event's `after`.
  const changes = await tx.$queryRaw<{ at: Date; actor: string; action: string; reason: string | null; result: string | null; version: number }[]>`
    SELECT at, actor, action, reason, result, (after->>'version')::int AS version
    FROM audit_events
    WHERE message_id = ${message.id} AND jsonb_typeof(after->'version') = 'number' AND (after->>'version')::int > ${seen}
    ORDER BY id LIMIT 50`;
  const said = changes.map((c) => `${c.action.replace(/^(message|dispatch)\./, '').replaceAll('_', ' ')} by ${c.actor}`);
  throw new AppError(
    'CONFLICT',
    `This message changed since you loaded it (you saw version ${seen}, it is now ${message.version}, ${message.status})${said.length ? `: ${said.join(', ')}` : ''}. Reload and try again.`,
    {
      current: { version: message.version, status: message.status },
      changes: changes.map((c) => ({ ...c, at: c.at.toISOString() })),
    },
  );
}

/** Refuses an action on a message whose publish is still in flight. */
export function assertNotPublishing(message: TLockedMessage, what: string) {
  if (PUBLISHING.includes(message.status)) {
    throw new AppError('CONFLICT', `Cannot ${what} message ${message.id} while its publish is in flight (${message.status}); wait for the outcome`);
  }
}

export function assertNotDiscarded(message: TLockedMessage, what: string) {
  if (message.status === 'discarded') {
    throw new AppError('CONFLICT', `Message ${message.id} is discarded; restore it before you ${what} it`);
  }
}

/** What an approved action, or a bulk job's item, adds to its audit event's `after`: which request approved it, which job ran it. */
export function approvalNote(request: Pick<TActionRequest, 'approval' | 'job'>): { approval?: TApprovalMarker; job?: string } {
  return {
    ...(request.approval ? { approval: { id: request.approval.id, approvedBy: request.approval.approvedBy } } : {}),
    ...(request.job ? { job: request.job.id } : {}),
  };
}
