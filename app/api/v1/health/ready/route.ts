import { NextResponse } from 'next/server';
import { readiness } from '@/lib/health/check-readiness';

export const dynamic = 'force-dynamic';

// GET /api/v1/health/ready — readiness, no auth: 200 when the database, the broker, the migrations and a worker heartbeat are all ok, else 503 naming what is down.
export async function GET() {
  const answer = await readiness().check();
  return NextResponse.json(answer, { status: answer.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
