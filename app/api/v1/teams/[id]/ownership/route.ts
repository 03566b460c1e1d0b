import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { setTeamOwnership, ZTeamOwnership } from '@/lib/teams/set-team-ownership';

// PUT /api/v1/teams/{id}/ownership — { origins, sources }: the queues the team owns, replaced; { team }.
export const PUT = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const ownership = await readJsonBody(request, ZTeamOwnership);
    return NextResponse.json({ team: await setTeamOwnership({ actor, team: { id: params.id }, ownership }) });
  },
  { permission: 'teams:ownership' },
);
