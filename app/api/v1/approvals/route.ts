import { NextResponse } from 'next/server';
import { ZApprovalQuery } from '@/lib/approvals/approval-query';
import { listApprovals } from '@/lib/approvals/list-approvals';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/approvals?status=&messageId=&limit=&cursor= — four-eyes requests, newest first; a team-scoped caller sees those whose messages are all its teams'.
export const GET = withOperator(
  async ({ request, actor }) => {
    const query = parseSearchParams(ZApprovalQuery, request.nextUrl.searchParams);
    return NextResponse.json(await listApprovals({ actor, ...query }));
  },
  { permission: 'messages:read' },
);
