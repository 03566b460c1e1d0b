import { NextResponse } from 'next/server';
import { readEmptyBody, readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { removeSource } from '@/lib/sources/remove-source';
import { updateSource, ZSourceUpdate } from '@/lib/sources/update-source';

// The queue is the path segment, percent-encoded (route handlers receive it decoded).

// PATCH /api/v1/sources/{queue} — { protected?, autoRedirect?, unmatchedToAllTeams? }: approval for actions on its messages, what the worker does with new ones; { source }.
export const PATCH = withOperator<{ queue: string }>(
  async ({ request, actor, params }) => {
    const changes = await readJsonBody(request, ZSourceUpdate);
    return NextResponse.json({ source: await updateSource({ actor, queue: params.queue, changes }) });
  },
  { permission: 'sources:manage' },
);

// DELETE /api/v1/sources/{queue} — stop consuming it; its stored messages stay; { source }.
export const DELETE = withOperator<{ queue: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    await removeSource({ actor, queue: params.queue });
    return NextResponse.json({ source: { queue: params.queue } });
  },
  { permission: 'sources:manage' },
);
