import { NextResponse } from 'next/server';
import { z } from 'zod';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { addSource } from '@/lib/sources/add-source';
import { listSources } from '@/lib/sources/list-sources';
import { ZSourceQueue } from '@/lib/sources/source-name';

// GET /api/v1/sources — the consumed dead-letter queues with counts, last error and whether they are protected.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listSources({ actor }) }), {
  permission: 'sources:read',
});

// POST /api/v1/sources — { queue }: consume it (a running worker picks it up within seconds); 201 { source }.
export const POST = withOperator(
  async ({ request, actor }) => {
    const { queue } = await readJsonBody(request, z.strictObject({ queue: ZSourceQueue }));
    return NextResponse.json({ source: await addSource({ actor, queue }) }, { status: 201 });
  },
  { permission: 'sources:manage' },
);
