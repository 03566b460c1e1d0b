import { actionResponse, idempotencyKey } from '@/lib/http/action-response';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { ZStatusActionRequest } from '@/lib/messages/action-input';
import { restoreMessage } from '@/lib/messages/restore-message';

// POST /api/v1/messages/{id}/restore — undo a discard.
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const input = await readJsonBody(request, ZStatusActionRequest);
    const outcome = await restoreMessage({ actor, id: params.id, version: input.version, input, requestId, idempotencyKey: idempotencyKey(request) });
    return actionResponse({ actor, id: params.id, status: 200 }, outcome);
  },
  { permission: 'messages:discard' },
);
