import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { setTeamMembers, ZTeamMembers } from '@/lib/teams/set-team-members';

// PUT /api/v1/teams/{id}/members — { users }: emails or user ids, replacing the members; { team }.
export const PUT = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const members = await readJsonBody(request, ZTeamMembers);
    return NextResponse.json({ team: await setTeamMembers({ actor, team: { id: params.id }, members }) });
  },
  { permission: 'teams:ownership' },
);
