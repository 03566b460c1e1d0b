'use client';

import { useQuery } from '@tanstack/react-query';
import { apiFetch } from './api-fetch';

// Where an action can send a message: known queues and exchanges (for the replay target
// picker), teams (redirect) and sandboxes (sandbox replay). Rarely change; read once a minute.

export type TDestinations = { queues: string[]; exchanges: string[] };
export type TTeamTarget = { id: string; name: string; queue: string | null; exchange: string | null; routingKey: string | null; contact: string | null };
export type TSandboxTarget = { id: string; name: string; url?: string };

const STALE_MS = 60_000;

export function useDestinations() {
  return useQuery({
    queryKey: ['destinations'],
    queryFn: ({ signal }) => apiFetch<TDestinations>('/api/v1/destinations', { signal }),
    staleTime: STALE_MS,
  });
}

export function useTeamTargets() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: ({ signal }) => apiFetch<{ items: TTeamTarget[] }>('/api/v1/teams', { signal }),
    select: (data) => data.items,
    staleTime: STALE_MS,
  });
}

export function useSandboxTargets() {
  return useQuery({
    queryKey: ['sandboxes'],
    queryFn: ({ signal }) => apiFetch<{ items: TSandboxTarget[] }>('/api/v1/sandboxes', { signal }),
    select: (data) => data.items,
    staleTime: STALE_MS,
  });
}

/** "queue billing-in" or "exchange billing / key invoice.created": how the console names a destination. */
export function describeDestination(d: { exchange: string | null; routingKey: string | null; queue?: string | null }): string {
  if (d.queue) return `queue ${d.queue}`;
  if (d.exchange === '' || d.exchange === null) return `queue ${d.routingKey ?? ''}`;
  return `exchange ${d.exchange} / key ${d.routingKey ?? ''}`;
}
