import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { createSandbox } from '@/lib/sandboxes/create-sandbox';
import { listSandboxes } from '@/lib/sandboxes/list-sandboxes';
import { ZSandboxInput } from '@/lib/sandboxes/sandbox-dto';

// GET /api/v1/sandboxes — sandbox names and URLs without passwords. listSandboxes lets in
// messages:replay or sandboxes:manage; the wrapper can name one permission, so it asks for
// any signed-in caller and leaves the decision to the domain.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listSandboxes({ actor }) }), {
  permission: 'messages:read',
});

// POST /api/v1/sandboxes — { name, url: amqp(s)://... }; 201 { sandbox } with the password as ***.
export const POST = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZSandboxInput);
    return NextResponse.json({ sandbox: await createSandbox({ actor, ...input }) }, { status: 201 });
  },
  { permission: 'sandboxes:manage' },
);
