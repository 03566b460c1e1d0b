import { NextResponse } from 'next/server';
import { idempotencyKey, SENT_FOR_APPROVAL } from '@/lib/http/action-response';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { createJob } from '@/lib/jobs/create-job';
import { ZJobListQuery, ZJobRequest } from '@/lib/jobs/job-input';
import { listJobs } from '@/lib/jobs/list-jobs';
import { previewJob } from '@/lib/jobs/preview-job';

// GET /api/v1/jobs?status=&limit=&cursor= — bulk jobs, newest first; a team-scoped caller sees the jobs created within its teams.
export const GET = withOperator(
  async ({ request, actor }) => {
    const query = parseSearchParams(ZJobListQuery, request.nextUrl.searchParams);
    return NextResponse.json(await listJobs({ actor, ...query }));
  },
  { permission: 'messages:read' },
);

// POST /api/v1/jobs — a bulk replay, redirect or discard of a frozen selection: 200 with the dry run ("dryRun": true), 201 with the queued job, or 202 with the job and the approval it waits for. The action's own permission is checked by the domain.
export const POST = withOperator(
  async ({ request, actor, requestId }) => {
    const input = await readJsonBody(request, ZJobRequest);
    if (input.dryRun) return NextResponse.json(await previewJob({ actor, input }));
    const { job, approval, replayed } = await createJob({ actor, input, requestId, idempotencyKey: idempotencyKey(request) });
    const headers: Record<string, string> = replayed ? { 'idempotent-replayed': 'true' } : {};
    if (approval) return NextResponse.json({ job, approval, note: SENT_FOR_APPROVAL }, { status: 202, headers });
    return NextResponse.json({ job }, { status: 201, headers });
  },
  { permission: 'messages:read' },
);
