import { NextResponse } from 'next/server';
import { readEmptyBody, readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { deleteOwnershipRule } from '@/lib/ownership/delete-ownership-rule';
import { ZOwnershipRuleUpdate } from '@/lib/ownership/ownership-rule-dto';
import { updateOwnershipRule } from '@/lib/ownership/update-ownership-rule';

// PATCH /api/v1/ownership-rules/{id} — the fields to change, or { position } on its own to move it; { rule }.
export const PATCH = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const changes = await readJsonBody(request, ZOwnershipRuleUpdate);
    return NextResponse.json({ rule: await updateOwnershipRule({ actor, id: params.id, changes }) });
  },
  { permission: 'teams:ownership' },
);

// DELETE /api/v1/ownership-rules/{id} — delete it (messages it tagged keep their owner); { rule } as it was.
export const DELETE = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    return NextResponse.json({ rule: await deleteOwnershipRule({ actor, id: params.id }) });
  },
  { permission: 'teams:ownership' },
);
