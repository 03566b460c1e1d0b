import { NextResponse } from 'next/server';
import { removeRunbook } from '@/lib/groups/remove-runbook';
import { ZRunbookInput, ZRunbookTarget } from '@/lib/groups/runbook-dto';
import { setRunbook } from '@/lib/groups/set-runbook';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// PUT /api/v1/runbooks — { kind: 'origin' | 'group', key, url }: set or replace; { runbook }.
export const PUT = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZRunbookInput, 64 * 1024);
    return NextResponse.json({ runbook: await setRunbook({ actor, ...input }) });
  },
  { permission: 'settings:manage' },
);

// DELETE /api/v1/runbooks — { kind, key }: remove; { runbook } as it was.
export const DELETE = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZRunbookTarget, 64 * 1024);
    return NextResponse.json({ runbook: await removeRunbook({ actor, ...input }) });
  },
  { permission: 'settings:manage' },
);
