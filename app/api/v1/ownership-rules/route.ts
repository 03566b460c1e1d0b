import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { createOwnershipRule } from '@/lib/ownership/create-ownership-rule';
import { listOwnershipRules } from '@/lib/ownership/list-ownership-rules';
import { ZOwnershipRuleFields } from '@/lib/ownership/ownership-rule-dto';

// GET /api/v1/ownership-rules — the rules in the order they are tried, each with how many messages it tagged; { items }.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listOwnershipRules({ actor }) }), { permission: 'teams:read' });

// POST /api/v1/ownership-rules — { teamId, matchKind, matchKey?, pattern, enabled? }: add a rule, tried after the others; 201 { rule }.
export const POST = withOperator(
  async ({ request, actor }) => {
    const rule = await readJsonBody(request, ZOwnershipRuleFields);
    return NextResponse.json({ rule: await createOwnershipRule({ actor, rule }) }, { status: 201 });
  },
  { permission: 'teams:ownership' },
);
