import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { deleteSandbox } from '@/lib/sandboxes/delete-sandbox';

// DELETE /api/v1/sandboxes/{id} — delete the sandbox; { sandbox } as it was (password as ***).
export const DELETE = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json({ sandbox: await deleteSandbox({ actor, sandbox: { id: params.id } }) }),
  { permission: 'sandboxes:manage' },
);
