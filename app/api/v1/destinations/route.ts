import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { listDestinations } from '@/lib/messages/list-destinations';

// GET /api/v1/destinations — queues and exchanges the console has seen, for the replay target pickers.
export const GET = withOperator(async ({ actor }) => NextResponse.json(await listDestinations({ actor })), {
  permission: 'messages:read',
});
