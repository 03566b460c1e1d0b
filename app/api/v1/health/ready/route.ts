import { NextResponse, type NextRequest } from 'next/server';
import { AppError, HTTP_STATUS } from '@/lib/errors';
import { readiness } from '@/lib/health/check-readiness';
import { ZReadinessQuery } from '@/lib/health/readiness-query';
import { parseSearchParams } from '@/lib/http/parse-search-params';

export const dynamic = 'force-dynamic';

// GET /api/v1/health/ready[?checks=database,migrations] — readiness, no auth: 200 when the checks asked for (by default the database, the broker, the migrations and a worker heartbeat) are all ok, else 503 naming what is down; 400 naming an unknown check.
export async function GET(request: NextRequest) {
  let checks;
  try {
    checks = parseSearchParams(ZReadinessQuery, request.nextUrl.searchParams).checks;
  } catch (error) {
    // Not withOperator's errorResponse: that module is server-only, and this route has no operator.
    if (error instanceof AppError) return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: HTTP_STATUS[error.code], headers: { 'cache-control': 'no-store' } });
    throw error;
  }
  const answer = await readiness().check(checks);
  return NextResponse.json(answer, { status: answer.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
