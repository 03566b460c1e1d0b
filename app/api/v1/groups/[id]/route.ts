import { NextResponse } from 'next/server';
import { getGroup } from '@/lib/groups/get-group';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/groups/{id} — one failure group with its counts, trend, category and runbook.
export const GET = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json(await getGroup({ actor, id: params.id })),
  { permission: 'messages:read' },
);
