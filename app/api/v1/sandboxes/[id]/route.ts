import { NextResponse } from 'next/server';
import { readEmptyBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { deleteSandbox } from '@/lib/sandboxes/delete-sandbox';

// DELETE /api/v1/sandboxes/{id} — delete the sandbox; { sandbox } as it was (password as ***).
export const DELETE = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    return NextResponse.json({ sandbox: await deleteSandbox({ actor, sandbox: { id: params.id } }) });
  },
  { permission: 'sandboxes:manage' },
);
