import { NextResponse } from 'next/server';

export const dynamic = 'force-dynamic';

// GET /api/v1/health — liveness, no auth: 200 while the process serves requests. It checks no dependency (RabbitMQ or PostgreSQL being down is readiness's answer, /api/v1/health/ready), so an outage never makes an orchestrator restart healthy replicas.
export function GET() {
  return NextResponse.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
