import { NextResponse } from 'next/server';
import { deleteCategoryRule } from '@/lib/groups/delete-category-rule';
import { readEmptyBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// DELETE /api/v1/failure-category-rules/{id} — remove the rule; { rule, groupsChanged }.
export const DELETE = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    return NextResponse.json(await deleteCategoryRule({ actor, id: params.id }));
  },
  { permission: 'settings:manage' },
);
