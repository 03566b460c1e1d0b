import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { ZJobControl } from '@/lib/jobs/job-input';
import { pauseJob } from '@/lib/jobs/pause-job';

// POST /api/v1/jobs/{id}/pause — stop starting new messages (what is in flight finishes); needs the job's action permission, 409 naming the status when not possible now.
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params, requestId }) => {
    const { reason } = await readJsonBody(request, ZJobControl);
    return NextResponse.json(await pauseJob({ actor, id: params.id, reason, requestId }));
  },
  { permission: 'messages:read' },
);
