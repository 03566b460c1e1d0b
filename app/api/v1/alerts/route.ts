import { NextResponse } from 'next/server';
import { listAlerts } from '@/lib/alerts/list-alerts';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/alerts — { open, recent }: open alerts (firing, then pending) and the latest resolved ones, each with its webhook notifications' state.
export const GET = withOperator(async ({ actor }) => NextResponse.json(await listAlerts({ actor })), { permission: 'messages:read' });
