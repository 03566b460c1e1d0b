import { NextResponse } from 'next/server';
import { ZAlertRuleFields } from '@/lib/alerts/alert-rule-dto';
import { createAlertRule } from '@/lib/alerts/create-alert-rule';
import { listAlertRules } from '@/lib/alerts/list-alert-rules';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/alert-rules — the alert rules by name, webhooks masked (scheme://host/…), secrets only as hasSecret; { items }.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listAlertRules({ actor }) }), { permission: 'messages:read' });

// POST /api/v1/alert-rules — { name, subjectKind, subject, metric, comparison, threshold, minValue?, windowMinutes?, forMinutes?, webhookUrl?, webhookFormat?, webhookSecret?, enabled? }; 201 { rule }.
export const POST = withOperator(
  async ({ request, actor }) => {
    const rule = await readJsonBody(request, ZAlertRuleFields, 64 * 1024);
    return NextResponse.json({ rule: await createAlertRule({ actor, rule }) }, { status: 201 });
  },
  { permission: 'alerts:manage' },
);
