import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { listSources } from '@/lib/sources/list-sources';

// GET /api/v1/sources — the consumed dead-letter queues with counts and last error.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listSources({ actor }) }), {
  permission: 'sources:read',
});
