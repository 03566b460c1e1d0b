import { NextResponse } from 'next/server';
import { ZAuditQuery } from '@/lib/audit/audit-query';
import { findAuditEvents } from '@/lib/audit/find-audit-events';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/audit — one page of audit events, newest first, filtered by actor, action or action group, team, source, origin, outcome, message and time.
export const GET = withOperator(
  async ({ request, actor }) => {
    const { cursor, limit, ...filters } = parseSearchParams(ZAuditQuery, request.nextUrl.searchParams);
    return NextResponse.json(await findAuditEvents({ actor, filters, cursor, limit }));
  },
  { permission: 'audit:read' },
);
