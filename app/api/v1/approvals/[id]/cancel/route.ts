import { NextResponse } from 'next/server';
import { ZCancelRequest } from '@/lib/approvals/approval-query';
import { cancelApproval } from '@/lib/approvals/cancel-approval';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// POST /api/v1/approvals/{id}/cancel — withdraw a pending request (the requester, or an admin).
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const { reason } = await readJsonBody(request, ZCancelRequest);
    return NextResponse.json({ approval: await cancelApproval({ actor, id: params.id, reason, requestId }) });
  },
  { permission: 'messages:read' },
);
