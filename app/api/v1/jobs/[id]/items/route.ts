import { NextResponse } from 'next/server';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { withOperator } from '@/lib/http/with-operator';
import { ZJobItemsQuery } from '@/lib/jobs/job-input';
import { listJobItems } from '@/lib/jobs/list-job-items';

// GET /api/v1/jobs/{id}/items?state=&limit=&cursor= — the job's frozen messages in order, with each one's outcome.
export const GET = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const query = parseSearchParams(ZJobItemsQuery, request.nextUrl.searchParams);
    return NextResponse.json(await listJobItems({ actor, id: params.id, ...query }));
  },
  { permission: 'messages:read' },
);
