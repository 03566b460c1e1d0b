import { NextResponse } from 'next/server';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { withOperator } from '@/lib/http/with-operator';
import { findMessages } from '@/lib/messages/find-messages';
import { ZFindMessagesQuery } from '@/lib/messages/message-dto';

// GET /api/v1/messages — one page of stored dead letters, newest first, filtered.
export const GET = withOperator(
  async ({ request, actor }) => {
    const query = parseSearchParams(ZFindMessagesQuery, request.nextUrl.searchParams);
    return NextResponse.json(await findMessages({ actor, query }));
  },
  { permission: 'messages:read' },
);
