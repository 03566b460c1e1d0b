import { actorLabel } from '../actor';
import { gateMessageAction } from '../approvals/gate-message-action';
import type { TAuditEventInput } from '../audit/record-audit-event';
import { AppError } from '../errors';
import type { TStatusActionRequest } from './action-input';
import { approvalNote, assertNotPublishing, runMessageAction, type TActionRequest } from './run-message-action';

// Discard: handled without publishing. The message stays, for the audit record and until
// retention removes it; restore-message.ts undoes it. A message of a protected source is
// sent for approval instead (docs/decisions/0012); a restore never needs one.

export async function discardMessage(request: TActionRequest & { input: TStatusActionRequest }) {
  const { actor, input } = request;
  return runMessageAction({ ...request, version: input.version, permission: 'messages:discard', action: 'discard', input }, async (tx, message, newVersion) => {
    assertNotPublishing(message, 'discard');
    if (message.status === 'discarded') throw new AppError('CONFLICT', `Message ${message.id} is already discarded`);
    const pending = await gateMessageAction(tx, { request, kind: 'discard', messageId: message.id, input });
    if (pending) return { pending };
    const audit: TAuditEventInput = {
      actor: actorLabel(actor),
      action: 'message.discarded',
      subject: `message:${message.id}`,
      messageId: message.id,
      reason: input.reason ?? null,
      requestId: request.requestId,
      before: { status: message.status, version: message.version },
      after: { status: 'discarded', version: newVersion, ...approvalNote(request) },
    };
    return { result: {}, status: 'discarded' as const, statusBeforeDiscard: message.status, audit };
  });
}
