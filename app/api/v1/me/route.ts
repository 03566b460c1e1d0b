import { NextResponse } from 'next/server';
import { withOperator } from '@/lib/http/with-operator';
import { ROLE_PERMISSIONS } from '@/lib/permissions/roles';

// GET /api/v1/me — who the caller is, what they may do, and which teams' queues they are limited to.
export const GET = withOperator(
  async ({ actor }) => {
    if (actor.kind === 'system') return NextResponse.json({ kind: actor.kind });
    const who = actor.kind === 'user' ? { id: actor.id, email: actor.email } : { id: actor.id, name: actor.name };
    const scope = actor.scope ?? null;
    return NextResponse.json({
      kind: actor.kind, ...who, role: actor.role, permissions: ROLE_PERMISSIONS[actor.role],
      scope: scope && { teamIds: scope.teamIds, origins: scope.origins, sources: scope.sources },
    });
  },
  { permission: 'messages:read' },
);
