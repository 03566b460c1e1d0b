'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TTeam } from '@/lib/teams/team-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

export type TTeamAccessBody = { origins: string[]; sources: string[]; users: string[] };

/**
 * Saves what a team owns and who is in it: two endpoints, ownership first. Each is
 * skipped when unchanged, so a support lead who only edits members records one event.
 */
export function useSaveTeamAccess() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ team, body }: { team: TTeam; body: TTeamAccessBody }) => {
      const path = `/api/v1/teams/${encodeURIComponent(team.id)}`;
      let saved = team;
      const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
      if (!same(body.origins, team.origins) || !same(body.sources, team.sources)) {
        saved = (await apiFetch<{ team: TTeam }>(`${path}/ownership`, jsonRequest('PUT', { origins: body.origins, sources: body.sources }))).team;
      }
      if (!same(body.users, team.members)) {
        saved = (await apiFetch<{ team: TTeam }>(`${path}/members`, jsonRequest('PUT', { users: body.users }))).team;
      }
      return saved;
    },
    // Same keys as use-teams.ts and use-users.ts: members show on both pages.
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: ['teams'] }), client.invalidateQueries({ queryKey: ['users'] })]),
  });
}
