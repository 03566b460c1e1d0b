import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { getMessageTimeline } from '@/lib/messages/get-message-timeline';

// GET /api/v1/messages/{id}/timeline — ingest, edits, actions, publish outcomes and re-deaths, oldest first.
export const GET = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json(await getMessageTimeline({ actor, id: params.id })),
  { permission: 'messages:read' },
);
