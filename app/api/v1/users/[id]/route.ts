import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { getUser } from '@/lib/users/get-user';
import { updateUser } from '@/lib/users/update-user';
import { ZUserUpdate } from '@/lib/users/user-dto';

// GET /api/v1/users/{id} — { user }.
export const GET = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json({ user: await getUser({ actor, user: { id: params.id } }) }),
  { permission: 'users:read' },
);

// PATCH /api/v1/users/{id} — { name?, role?, teamScoped?, teams? } (teams replace the user's); { user }.
export const PATCH = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const changes = await readJsonBody(request, ZUserUpdate);
    return NextResponse.json({ user: await updateUser({ actor, user: { id: params.id }, changes }) });
  },
  { permission: 'users:manage' },
);
