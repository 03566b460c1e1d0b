import { NextResponse } from 'next/server';
import { getAuditEvent } from '@/lib/audit/get-audit-event';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/audit/{id} — one audit event with before, after, hashes, the revision it concerns and the publishes it made.
export const GET = withOperator<{ id: string }>(
  async ({ actor, params }) => NextResponse.json(await getAuditEvent({ actor, id: params.id })),
  { permission: 'audit:read' },
);
