import { actionResponse, idempotencyKey } from '@/lib/http/action-response';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { ZEditRequest } from '@/lib/messages/action-input';
import { editMessage } from '@/lib/messages/edit-message';

// POST /api/v1/messages/{id}/revisions — save an edit as a new revision (the original never changes).
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const input = await readJsonBody(request, ZEditRequest);
    const outcome = await editMessage({ actor, id: params.id, version: input.version, input, requestId, idempotencyKey: idempotencyKey(request) });
    return actionResponse({ actor, id: params.id, status: 201 }, outcome);
  },
  { permission: 'messages:edit' },
);
