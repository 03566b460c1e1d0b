import { NextResponse } from 'next/server';
import { readEmptyBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { enableUser } from '@/lib/users/enable-user';

// POST /api/v1/users/{id}/enable — the user may sign in again; { user }.
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    return NextResponse.json({ user: await enableUser({ actor, user: { id: params.id } }) });
  },
  { permission: 'users:manage' },
);
