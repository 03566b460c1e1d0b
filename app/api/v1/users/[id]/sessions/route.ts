import { NextResponse } from 'next/server';
import { readEmptyBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { revokeUserSessions } from '@/lib/users/revoke-user-sessions';

// DELETE /api/v1/users/{id}/sessions — sign the user out everywhere (at each session's next request); { user }.
export const DELETE = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    return NextResponse.json({ user: await revokeUserSessions({ actor, user: { id: params.id } }) });
  },
  { permission: 'users:manage' },
);
