import { NextResponse } from 'next/server';
import { ZRejectRequest } from '@/lib/approvals/approval-query';
import { decideApproval } from '@/lib/approvals/decide-approval';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// POST /api/v1/approvals/{id}/reject — refuse someone else's request, with a reason; nothing runs. Needs the action's permission.
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const { reason } = await readJsonBody(request, ZRejectRequest);
    return NextResponse.json({ approval: await decideApproval({ actor, id: params.id, decision: 'reject', reason, requestId }) });
  },
  { permission: 'messages:read' },
);
