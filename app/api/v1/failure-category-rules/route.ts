import { NextResponse } from 'next/server';
import { ZCategoryRuleInput } from '@/lib/groups/category-rule-dto';
import { createCategoryRule } from '@/lib/groups/create-category-rule';
import { listCategoryRules } from '@/lib/groups/list-category-rules';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/failure-category-rules — { items, builtIn }. listCategoryRules lets in
// settings:manage or audit:read; the wrapper names one permission, so it asks for any
// signed-in caller and leaves the decision to the domain.
export const GET = withOperator(async ({ actor }) => NextResponse.json(await listCategoryRules({ actor })), {
  permission: 'messages:read',
});

// POST /api/v1/failure-category-rules — { field, pattern, category, suggestedAction?, position? }; 201 { rule, groupsChanged }.
export const POST = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZCategoryRuleInput, 64 * 1024);
    return NextResponse.json(await createCategoryRule({ actor, ...input }), { status: 201 });
  },
  { permission: 'settings:manage' },
);
