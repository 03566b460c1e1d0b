import { NextResponse } from 'next/server';
import { readEmptyBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { deleteRedactionRule } from '@/lib/redaction/delete-redaction-rule';

// DELETE /api/v1/redaction-rules/{id} — remove the rule; { rule } as it was.
export const DELETE = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    return NextResponse.json({ rule: await deleteRedactionRule({ actor, id: params.id }) });
  },
  { permission: 'redaction:manage' },
);
