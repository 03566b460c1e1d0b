import { NextResponse } from 'next/server';
import { checkHealth, isHealthy } from '@/lib/health/check-health';

export const dynamic = 'force-dynamic';

// GET /api/v1/health — no auth: 200 when PostgreSQL and RabbitMQ answer, 503 naming what is down.
export async function GET() {
  const health = await checkHealth();
  return NextResponse.json(health, { status: isHealthy(health) ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
