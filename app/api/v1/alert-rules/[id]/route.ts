import { NextResponse } from 'next/server';
import { ZAlertRuleDelete, ZAlertRuleUpdate } from '@/lib/alerts/alert-rule-dto';
import { deleteAlertRule } from '@/lib/alerts/delete-alert-rule';
import { updateAlertRule } from '@/lib/alerts/update-alert-rule';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// PATCH /api/v1/alert-rules/{id} — { version, ...fields to change } (webhookUrl/webhookSecret null clears); { rule }, 409 when the version is stale.
export const PATCH = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const changes = await readJsonBody(request, ZAlertRuleUpdate, 64 * 1024);
    return NextResponse.json({ rule: await updateAlertRule({ actor, id: params.id, changes }) });
  },
  { permission: 'alerts:manage' },
);

// DELETE /api/v1/alert-rules/{id} — { version }: delete it with its alerts and unsent notifications; { rule } as it was.
export const DELETE = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const { version } = await readJsonBody(request, ZAlertRuleDelete, 1024);
    return NextResponse.json({ rule: await deleteAlertRule({ actor, id: params.id, version }) });
  },
  { permission: 'alerts:manage' },
);
