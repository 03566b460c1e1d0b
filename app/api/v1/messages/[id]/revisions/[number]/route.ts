import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { getRevision } from '@/lib/messages/get-revision';

// GET /api/v1/messages/{id}/revisions/{n} — revision n with its body and editable headers; 0 is the message as it arrived.
export const GET = withOperator<{ id: string; number: string }>(
  async ({ actor, params }) => NextResponse.json(await getRevision({ actor, id: params.id, number: params.number })),
  { permission: 'messages:read' },
);
