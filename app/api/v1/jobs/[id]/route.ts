import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { getJob } from '@/lib/jobs/get-job';

// GET /api/v1/jobs/{id} — one bulk job with its live progress (done, failed, remaining, rate, ETA, canary).
export const GET = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json(await getJob({ actor, id: params.id })),
  { permission: 'messages:read' },
);
