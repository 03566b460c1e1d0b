import { NextResponse } from 'next/server';
import { readJsonBody } from '@/lib/http/read-json-body';
import { withOperator } from '@/lib/http/with-operator';
import { createTeam } from '@/lib/teams/create-team';
import { listTeams } from '@/lib/teams/list-teams';
import { ZTeamFields } from '@/lib/teams/team-dto';

// GET /api/v1/teams — every team and its destination, by name.
export const GET = withOperator(async ({ actor }) => NextResponse.json({ items: await listTeams({ actor }) }), {
  permission: 'teams:read',
});

// POST /api/v1/teams — { name, queue } or { name, exchange, routingKey }, optional contact; 201 { team }.
export const POST = withOperator(
  async ({ request, actor }) => {
    const input = await readJsonBody(request, ZTeamFields);
    return NextResponse.json({ team: await createTeam({ actor, ...input }) }, { status: 201 });
  },
  { permission: 'teams:manage' },
);
