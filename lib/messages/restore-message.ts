import { actorLabel } from '../actor';
import type { TAuditEventInput } from '../audit/record-audit-event';
import { AppError } from '../errors';
import type { TStatusActionRequest } from './action-input';
import { runMessageAction, type TActionRequest } from './run-message-action';

/** Undoes a discard: the message gets back the status it had. */
export async function restoreMessage(request: TActionRequest & { input: TStatusActionRequest }) {
  const { actor, input } = request;
  return runMessageAction({ ...request, version: input.version, permission: 'messages:discard', action: 'restore', input }, async (tx, message, newVersion) => {
    if (message.status !== 'discarded') throw new AppError('CONFLICT', `Message ${message.id} is not discarded (it is ${message.status})`);
    const status = message.statusBeforeDiscard ?? 'new';
    const audit: TAuditEventInput = {
      actor: actorLabel(actor),
      action: 'message.restored',
      subject: `message:${message.id}`,
      messageId: message.id,
      reason: input.reason ?? null,
      requestId: request.requestId,
      before: { status: message.status, version: message.version },
      after: { status, version: newVersion },
    };
    return { result: {}, status, statusBeforeDiscard: null, audit };
  });
}
