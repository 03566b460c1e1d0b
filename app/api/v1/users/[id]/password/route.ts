import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { setUserPassword, ZSetPassword } from '@/lib/users/set-user-password';

// PUT /api/v1/users/{id}/password — { password }: a new password, and every session of the user ends; { user }.
export const PUT = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const { password } = await readJsonBody(request, ZSetPassword, 4096);
    return NextResponse.json({ user: await setUserPassword({ actor, user: { id: params.id }, password }) });
  },
  { permission: 'users:manage' },
);
