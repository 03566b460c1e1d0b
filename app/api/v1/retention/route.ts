import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { listRetentionPolicies } from '@/lib/retention/list-retention-policies';
import { removeRetentionPolicy } from '@/lib/retention/remove-retention-policy';
import { ZRetentionPolicyInput, ZRetentionPolicyKey } from '@/lib/retention/retention-policy-dto';
import { setRetentionPolicy } from '@/lib/retention/set-retention-policy';

// GET /api/v1/retention — the policies, the sources they may name and the last purges; { policies, sources, lastPurges }.
// audit:read lets auditors in (admins hold every permission); listRetentionPolicies checks again.
export const GET = withOperator(async ({ actor }) => NextResponse.json(await listRetentionPolicies({ actor })), { permission: 'audit:read' });

// PUT /api/v1/retention — { sourceQueue ('*' for every source), status, days (null: for ever) }: set one policy; { policy }.
export const PUT = withOperator(
  async ({ request, actor }) => {
    const policy = await readJsonBody(request, ZRetentionPolicyInput);
    return NextResponse.json({ policy: await setRetentionPolicy({ actor, policy }) });
  },
  { permission: 'settings:manage' },
);

// DELETE /api/v1/retention — { sourceQueue, status }: remove that policy (the source falls back to '*', or for ever); { policy } as it was.
export const DELETE = withOperator(
  async ({ request, actor }) => {
    const policy = await readJsonBody(request, ZRetentionPolicyKey);
    return NextResponse.json({ policy: await removeRetentionPolicy({ actor, policy }) });
  },
  { permission: 'settings:manage' },
);
