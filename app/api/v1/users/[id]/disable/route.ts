import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { disableUser } from '@/lib/users/disable-user';

// POST /api/v1/users/{id}/disable — the user cannot sign in, and their sessions end at their next request; { user }.
export const POST = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json({ user: await disableUser({ actor, user: { id: params.id } }) }),
  { permission: 'users:manage' },
);
