import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { createUser, ZCreateUser } from '@/lib/users/create-user';
import { listUsers } from '@/lib/users/list-users';

// GET /api/v1/users — every user by email: role, teams, provider, status (never a password hash).
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listUsers({ actor }) }), {
  permission: 'users:read',
});

// POST /api/v1/users — { email, password, role, name?, teams?, teamScoped? }; 201 { user }.
export const POST = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZCreateUser);
    return NextResponse.json({ user: await createUser({ actor, ...input }) }, { status: 201 });
  },
  { permission: 'users:manage' },
);
