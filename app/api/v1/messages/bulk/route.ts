import { NextResponse } from 'next/server';
import { isPendingApproval } from '@/lib/approvals/approval-kinds';
import { idempotencyKey, SENT_FOR_APPROVAL } from '@/lib/http/action-response';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { ZBulkRequest } from '@/lib/messages/action-input';
import { runBulkAction } from '@/lib/messages/bulk-action';

// POST /api/v1/messages/bulk — replay, redirect or discard up to 10,000 messages: 200 with each one's outcome, or 202 with the approval request when a second person must approve it. The action's own permission is checked by runBulkAction.
export const POST = withOperator(
  async ({ request, actor, requestId }) => {
    const input = await readJsonBody(request, ZBulkRequest);
    const { answer, replayed } = await runBulkAction({ actor, input, requestId, idempotencyKey: idempotencyKey(request) });
    const headers: Record<string, string> = replayed ? { 'idempotent-replayed': 'true' } : {};
    if (isPendingApproval(answer)) return NextResponse.json({ ...answer, note: SENT_FOR_APPROVAL }, { status: 202, headers });
    return NextResponse.json(answer, { status: 200, headers });
  },
  { permission: 'messages:read' },
);
