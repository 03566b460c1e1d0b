import type { NextRequest } from 'next/server';
import { env } from '@/lib/env';
import { errorResponse } from '@/lib/http/with-operator';
import { checkMetricsToken } from '@/lib/metrics/check-metrics-token';
import { renderWebMetrics } from '@/lib/metrics/web-metrics';

export const dynamic = 'force-dynamic';

// GET /api/metrics — Prometheus text for Prometheus, not operators: `Authorization: Bearer <METRICS_TOKEN>`; 404 while METRICS_TOKEN is unset.
export async function GET(request: NextRequest) {
  const config = env();
  const access = checkMetricsToken(request.headers.get('authorization'), config.METRICS_TOKEN);
  if (access === 'disabled') {
    return errorResponse('NOT_FOUND', 'Metrics are off: set METRICS_TOKEN (at least 16 characters) and scrape with Authorization: Bearer <METRICS_TOKEN>');
  }
  if (access === 'unauthorized') {
    const response = errorResponse('UNAUTHORIZED', 'Send Authorization: Bearer <METRICS_TOKEN>');
    response.headers.set('www-authenticate', 'Bearer realm="metrics"');
    return response;
  }
  const { contentType, body } = await renderWebMetrics({ staleSeconds: config.DLQ_HEARTBEAT_STALE_SECONDS });
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
