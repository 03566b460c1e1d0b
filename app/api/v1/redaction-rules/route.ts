import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { createRedactionRule } from '@/lib/redaction/create-redaction-rule';
import { listRedactionRules } from '@/lib/redaction/list-redaction-rules';
import { ZRedactionRuleInput } from '@/lib/redaction/redaction-rule-dto';

// GET /api/v1/redaction-rules — every rule. listRedactionRules lets in redaction:manage or
// audit:read; the wrapper can name one permission, so it asks for any signed-in caller and
// leaves the decision to the domain.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listRedactionRules({ actor }) }), {
  permission: 'messages:read',
});

// POST /api/v1/redaction-rules — { kind: 'json_path' | 'header', pattern }; 201 { rule }.
export const POST = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZRedactionRuleInput);
    return NextResponse.json({ rule: await createRedactionRule({ actor, ...input }) }, { status: 201 });
  },
  { permission: 'redaction:manage' },
);
