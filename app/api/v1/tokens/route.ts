import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { createApiToken, ZCreateApiToken } from '@/lib/tokens/create-api-token';
import { listApiTokens } from '@/lib/tokens/list-api-tokens';

// GET /api/v1/tokens — every API token, newest first: prefix, role, team, expiry, revoked, last used (never a secret).
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listApiTokens({ actor }) }), {
  permission: 'tokens:manage',
});

// POST /api/v1/tokens — { name, role, expiresInDays?, team? }; 201 { token, secret }: the secret is shown this once.
export const POST = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZCreateApiToken);
    const { token: secret, ...token } = await createApiToken({ actor, ...input });
    return NextResponse.json({ token, secret }, { status: 201, headers: { 'cache-control': 'no-store' } });
  },
  { permission: 'tokens:manage' },
);
