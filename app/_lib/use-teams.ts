'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TTeam } from '@/lib/teams/team-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

// The same query key as the redirect dialog's team picker, so a change here shows there.
const TEAMS = ['teams'];

/** What the form sends: a queue, or an exchange and routing key; the unused ones null. */
export type TTeamBody = { name: string; queue: string | null; exchange: string | null; routingKey: string | null; contact: string | null };

export function useTeams() {
  return useQuery({
    queryKey: TEAMS,
    queryFn: ({ signal }) => apiFetch<{ items: TTeam[] }>('/api/v1/teams', { signal }),
    select: (data) => data.items,
  });
}

/** Adds a team, or with an id changes it. */
export function useSaveTeam() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: TTeamBody }) =>
      id
        ? apiFetch<{ team: TTeam }>(`/api/v1/teams/${encodeURIComponent(id)}`, jsonRequest('PATCH', body))
        : apiFetch<{ team: TTeam }>('/api/v1/teams', jsonRequest('POST', body)),
    onSettled: () => client.invalidateQueries({ queryKey: TEAMS }),
  });
}

export function useDeleteTeam() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ team: TTeam }>(`/api/v1/teams/${encodeURIComponent(id)}`, jsonRequest('DELETE')),
    onSettled: () => client.invalidateQueries({ queryKey: TEAMS }),
  });
}
