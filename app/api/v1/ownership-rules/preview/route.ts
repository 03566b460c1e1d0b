import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { previewOwnershipRule, ZPreviewRequest } from '@/lib/ownership/preview-ownership-rule';

// POST /api/v1/ownership-rules/preview — a rule's fields (unsaved) and limit?: what it matches among the most recent messages (at most 1000); { scanned, matched, changes, sample }.
export const POST = withOperator(
  async ({ request, actor }) => {
    const body = await readJsonBody(request, ZPreviewRequest);
    return NextResponse.json(await previewOwnershipRule({ actor, request: body }));
  },
  { permission: 'teams:ownership' },
);
