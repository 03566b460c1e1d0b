import { NextResponse } from 'next/server';
import { getConsoleStatus } from '@/lib/health/get-console-status';
import { withOperator } from '@/lib/http/with-operator';

export const dynamic = 'force-dynamic';

// GET /api/v1/status — what is down for the whole console and since when (RabbitMQ from this replica, the workers' heartbeats and their broker connections): the banner on every console page; always 200, `status` ok or degraded.
export const GET = withOperator(
  async () => NextResponse.json(await getConsoleStatus(), { headers: { 'cache-control': 'no-store' } }),
  { permission: 'messages:read' },
);
