import { NextResponse } from 'next/server';
import { readEmptyBody, readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { deleteTeam } from '@/lib/teams/delete-team';
import { ZTeamUpdateFields } from '@/lib/teams/team-dto';
import { updateTeam } from '@/lib/teams/update-team';

// PATCH /api/v1/teams/{id} — change the fields given (a destination is replaced whole); { team }.
export const PATCH = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    const changes = await readJsonBody(request, ZTeamUpdateFields);
    return NextResponse.json({ team: await updateTeam({ actor, team: { id: params.id }, changes }) });
  },
  { permission: 'teams:manage' },
);

// DELETE /api/v1/teams/{id} — delete the team; { team } as it was.
export const DELETE = withOperator<{ id: string }>(
  async ({ request, actor, params }) => {
    await readEmptyBody(request);
    return NextResponse.json({ team: await deleteTeam({ actor, team: { id: params.id } }) });
  },
  { permission: 'teams:manage' },
);
