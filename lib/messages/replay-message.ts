import { actorLabel } from '../actor';
import { gateMessageAction } from '../approvals/gate-message-action';
import type { TAuditEventInput } from '../audit/record-audit-event';
import { assertContract } from '../contracts/check-contract';
import { createDispatches, describeTarget, type TDispatchIntent } from '../dispatch/create-dispatches';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireMessageInScope } from '../permissions/team-scope';
import type { TReplayRequest } from './action-input';
import { parseMessageId } from './get-message';
import { resolveRevision } from './resolve-revision';
import type { TPendingApproval } from '../approvals/approval-kinds';
import { approvalNote, assertNotDiscarded, assertNotPublishing, runMessageAction, type TActionRequest } from './run-message-action';

// Replay: back to the queue the message died in, through the default exchange (never the
// original exchange, which may fan out to every bound queue), or to an explicit target, or
// to a sandbox broker. Only the intent is written here; lib/dispatch publishes it. A
// message of a protected source is sent for approval instead (docs/decisions/0012),
// sandbox replays included: they send the same bytes out of the console.

export type TPublishResult = { actionId: string; dispatches: { id: string; target: string }[] };

export async function replayMessage(request: TActionRequest & { input: TReplayRequest }) {
  const { actor, input } = request;
  requirePermission(actor, 'messages:replay');
  const messageId = parseMessageId(request.id);
  const fixed = await prisma().message.findUnique({ where: { id: messageId }, select: { id: true, originQueue: true, sourceQueue: true, ownerTeamId: true } });
  if (!fixed) throw new AppError('NOT_FOUND', `No message with id ${request.id}`);
  requireMessageInScope(actor, fixed);

  const sandbox = input.sandbox === undefined
    ? null
    : await prisma().sandbox.findUnique({ where: { name: input.sandbox }, select: { id: true, name: true } });
  if (input.sandbox !== undefined && !sandbox) throw new AppError('INVALID_INPUT', `Unknown sandbox "${input.sandbox}"`);

  const target = input.target;
  const route = !target
    ? fixed.originQueue === null
      ? null
      : { exchange: '', routingKey: fixed.originQueue }
    : 'queue' in target
      ? { exchange: '', routingKey: target.queue }
      : { exchange: target.exchange, routingKey: target.routingKey };
  if (!route) {
    throw new AppError('INVALID_INPUT', `Message ${request.id} has no origin queue (its x-death could not be read); choose a target queue or exchange`);
  }
  // Contracts guard the origin: a replay there is checked first, on the bytes it would send.
  if (!sandbox && route.exchange === '' && route.routingKey === fixed.originQueue) {
    const revision = await resolveRevision(prisma(), messageId, input.revision);
    await assertContract({ originQueue: fixed.originQueue, body: revision.body });
  }

  return runMessageAction<TPublishResult, TPendingApproval>({ ...request, version: input.version, permission: 'messages:replay', action: 'replay', input }, async (tx, message, newVersion) => {
    const verb = sandbox ? 'replay to a sandbox' : 'replay';
    assertNotPublishing(message, verb);
    assertNotDiscarded(message, verb);
    const revision = await resolveRevision(tx, message.id, input.revision);
    const pending = await gateMessageAction(tx, { request, kind: 'replay', messageId: message.id, input });
    if (pending) return { pending };
    const intent: TDispatchIntent = sandbox
      ? { kind: 'sandbox', ...route, sandboxId: sandbox.id, sandboxName: sandbox.name }
      : { kind: 'replay', ...route };
    const created = await createDispatches(tx, { message, revisionId: revision.id, intents: [intent], actor: actorLabel(actor), reason: input.reason ?? null, notify: !request.deferNotify });
    const status = sandbox ? message.status : 'replaying';
    const audit: TAuditEventInput = {
      actor: actorLabel(actor),
      action: sandbox ? 'message.sandbox_replay_requested' : 'message.replay_requested',
      subject: `message:${message.id}`,
      messageId: message.id,
      reason: input.reason ?? null,
      requestId: request.requestId,
      target: describeTarget(intent),
      before: { status: message.status, version: message.version },
      after: { status, version: newVersion, revision: revision.number, actionId: created.actionId, dispatchIds: created.dispatches.map((d) => d.id), ...approvalNote(request) },
    };
    const result: TPublishResult = created;
    return { result, status, audit };
  });
}
