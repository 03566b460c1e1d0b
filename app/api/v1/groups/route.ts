import { NextResponse } from 'next/server';
import { ZGroupQuery } from '@/lib/groups/group-dto';
import { listGroups } from '@/lib/groups/list-groups';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/groups — failure groups (origin, category, status, q; sort last_seen|count; limit, cursor).
export const GET = withOperator(
  async ({ request, actor }) => NextResponse.json(await listGroups({ actor, query: parseSearchParams(ZGroupQuery, request.nextUrl.searchParams) })),
  { permission: 'messages:read' },
);
