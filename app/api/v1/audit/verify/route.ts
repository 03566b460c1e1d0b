import { NextResponse } from 'next/server';
import { getAuditIntegrity } from '@/lib/audit/get-audit-integrity';
import { recordAuditVerification } from '@/lib/audit/record-audit-verification';
import { readEmptyBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/audit/verify — the chain head (id, hash, event count) and the newest recorded verification, who ran it and what it found.
export const GET = withOperator(
  async ({ actor }) => NextResponse.json(await getAuditIntegrity({ actor })),
  { permission: 'audit:read' },
);

// POST /api/v1/audit/verify — recompute the whole chain now and record the result as an audit.verified event; 200 with it, intact or not.
export const POST = withOperator(
  async ({ request, actor }) => {
    await readEmptyBody(request);
    return NextResponse.json(await recordAuditVerification({ actor }));
  },
  { permission: 'audit:verify' },
);
