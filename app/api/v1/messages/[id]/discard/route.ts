import { actionResponse, idempotencyKey } from '@/lib/http/action-response';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { ZStatusActionRequest } from '@/lib/messages/action-input';
import { discardMessage } from '@/lib/messages/discard-message';

// POST /api/v1/messages/{id}/discard — mark it handled without publishing; a message of a protected source is sent for approval instead (202 with the pending approval).
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const input = await readJsonBody(request, ZStatusActionRequest);
    const outcome = await discardMessage({ actor, id: params.id, version: input.version, input, requestId, idempotencyKey: idempotencyKey(request) });
    return actionResponse({ actor, id: params.id, status: 200 }, outcome);
  },
  { permission: 'messages:discard' },
);
