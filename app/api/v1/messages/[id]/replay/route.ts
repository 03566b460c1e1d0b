import { actionResponse, idempotencyKey } from '@/lib/http/action-response';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { ZReplayRequest } from '@/lib/messages/action-input';
import { replayMessage } from '@/lib/messages/replay-message';

// POST /api/v1/messages/{id}/replay — publish it back to the queue it died in (or a chosen target or sandbox), with confirms; a message of a protected source is sent for approval instead (202 with the pending approval).
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const input = await readJsonBody(request, ZReplayRequest);
    const outcome = await replayMessage({ actor, id: params.id, version: input.version, input, requestId, idempotencyKey: idempotencyKey(request) });
    return actionResponse({ actor, id: params.id, status: 202 }, outcome);
  },
  { permission: 'messages:replay' },
);
