import { NextResponse } from 'next/server';
import { ZApproveRequest } from '@/lib/approvals/approval-query';
import { decideApproval } from '@/lib/approvals/decide-approval';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// POST /api/v1/approvals/{id}/approve — approve someone else's request and run it now (again: resume one that stopped mid-way); needs the action's permission.
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const { reason } = await readJsonBody(request, ZApproveRequest);
    return NextResponse.json({ approval: await decideApproval({ actor, id: params.id, decision: 'approve', reason, requestId }) });
  },
  { permission: 'messages:read' },
);
