import { NextResponse } from 'next/server';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { withOperator } from '@/lib/http/with-operator';
import { countMessages } from '@/lib/messages/count-messages';
import { ZMessageFilters } from '@/lib/messages/message-dto';

// GET /api/v1/messages/counts — how many messages match the filters, per source and per reason.
export const GET = withOperator(
  async ({ request, actor }) => {
    const filters = parseSearchParams(ZMessageFilters, request.nextUrl.searchParams);
    return NextResponse.json(await countMessages({ actor, filters }));
  },
  { permission: 'messages:read' },
);
