import { NextResponse } from 'next/server';
import { getApproval } from '@/lib/approvals/get-approval';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/approvals/{id} — one request: its messages, grounds, requester, decision and, once run, the result per message.
export const GET = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json(await getApproval({ actor, id: params.id })),
  { permission: 'messages:read' },
);
