import { actionResponse, idempotencyKey } from '@/lib/http/action-response';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { ZRedirectRequest } from '@/lib/messages/action-input';
import { redirectMessage } from '@/lib/messages/redirect-message';

// POST /api/v1/messages/{id}/redirect — publish it to a team’s destination, or to every team; a message of a protected source is sent for approval instead (202 with the pending approval).
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const input = await readJsonBody(request, ZRedirectRequest);
    const outcome = await redirectMessage({ actor, id: params.id, version: input.version, input, requestId, idempotencyKey: idempotencyKey(request) });
    return actionResponse({ actor, id: params.id, status: 202 }, outcome);
  },
  { permission: 'messages:redirect' },
);
