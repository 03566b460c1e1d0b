import { NextResponse } from 'next/server';
import { readEmptyBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { revokeApiToken } from '@/lib/tokens/revoke-api-token';

// DELETE /api/v1/tokens/{id} — revoke; { token, alreadyRevoked }: revoking a revoked token answers the same, and records nothing.
export const DELETE = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    const { alreadyRevoked, ...token } = await revokeApiToken({ actor, id: params.id, idempotent: true });
    return NextResponse.json({ token, alreadyRevoked });
  },
  { permission: 'tokens:manage' },
);
