import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { getMessage } from '@/lib/messages/get-message';

// GET /api/v1/messages/{id} — the message with properties, typed headers, x-death and body.
export const GET = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json(await getMessage({ actor, id: params.id })),
  { permission: 'messages:read' },
);
