import { NextResponse } from 'next/server';
import { parsePathParam } from '@/lib/http/parse-path-param';
import { readEmptyBody, readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { removeSource } from '@/lib/sources/remove-source';
import { updateSource, ZSourceUpdate } from '@/lib/sources/update-source';
import { ZQueueName } from '@/lib/validation/broker-names';

// The queue is the path segment, percent-encoded (route handlers receive it decoded).

// PATCH /api/v1/sources/{queue} — { protected?, autoRedirect?, unmatchedToAllTeams? }: approval for actions on its messages, what the worker does with new ones; { source }.
export const PATCH = withOperator<{ queue: string }>(
  async ({ request, actor, params }) => {
    const queue = parsePathParam('queue', ZQueueName, params.queue);
    const changes = await readJsonBody(request, ZSourceUpdate);
    return NextResponse.json({ source: await updateSource({ actor, queue, changes }) });
  },
  { permission: 'sources:manage' },
);

// DELETE /api/v1/sources/{queue} — stop consuming it; its stored messages stay; { source }.
export const DELETE = withOperator<{ queue: string }>(
  async ({ request, actor, params }) => {
    const queue = parsePathParam('queue', ZQueueName, params.queue);
    await readEmptyBody(request);
    await removeSource({ actor, queue });
    return NextResponse.json({ source: { queue } });
  },
  { permission: 'sources:manage' },
);
