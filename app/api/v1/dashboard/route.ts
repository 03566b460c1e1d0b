import { NextResponse } from 'next/server';
import { ZDashboardQuery } from '@/lib/dashboard/dashboard-dto';
import { getDashboard } from '@/lib/dashboard/get-dashboard';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/dashboard — range=1h|24h|7d, by=source|origin, source?, origin?: inflow against its baseline, unresolved, replays, top groups, a chart series.
export const GET = withOperator(
  async ({ request, actor }) => NextResponse.json(await getDashboard({ actor, query: parseSearchParams(ZDashboardQuery, request.nextUrl.searchParams) })),
  { permission: 'messages:read' },
);
