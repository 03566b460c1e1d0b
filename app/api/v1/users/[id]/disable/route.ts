import { NextResponse } from 'next/server';
import { readEmptyBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { disableUser } from '@/lib/users/disable-user';

// POST /api/v1/users/{id}/disable — the user cannot sign in, and their sessions end at their next request; { user }.
export const POST = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    return NextResponse.json({ user: await disableUser({ actor, user: { id: params.id } }) });
  },
  { permission: 'users:manage' },
);
