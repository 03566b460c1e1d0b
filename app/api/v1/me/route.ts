import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { ROLE_PERMISSIONS } from '@/lib/permissions/roles';

// GET /api/v1/me — who the caller is and what they may do.
export const GET = withOperator(
  async ({ actor }) => {
    if (actor.kind === 'system') return NextResponse.json({ kind: actor.kind });
    const who = actor.kind === 'user' ? { email: actor.email } : { name: actor.name };
    return NextResponse.json({ kind: actor.kind, ...who, role: actor.role, permissions: ROLE_PERMISSIONS[actor.role] });
  },
  { permission: 'messages:read' },
);
