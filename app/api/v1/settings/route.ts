import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { getSettings } from '@/lib/settings/get-settings';
import { ZSettingsUpdate } from '@/lib/settings/settings-dto';
import { updateSettings } from '@/lib/settings/update-settings';

// GET /api/v1/settings — { settings }: the approval threshold, who changed it last and when.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ settings: await getSettings({ actor }) }), {
  permission: 'messages:read',
});

// PATCH /api/v1/settings — { approvalThreshold? }; { settings }.
export const PATCH = withOperator(
  async ({ request, actor }) => {
    const changes = await readJsonBody(request, ZSettingsUpdate);
    return NextResponse.json({ settings: await updateSettings({ actor, changes }) });
  },
  { permission: 'settings:manage' },
);
