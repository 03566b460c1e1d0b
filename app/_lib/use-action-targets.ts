'use client';

import { useQuery } from '@tanstack/react-query';
import { apiFetch } from './api-fetch';

// Where a replay can send a message: known queues and exchanges, for the target picker.
// Rarely change; read once a minute. (Teams and sandboxes: use-teams.ts, use-sandboxes.ts.)

export type TDestinations = { queues: string[]; exchanges: string[] };
const STALE_MS = 60_000;

export function useDestinations() {
  return useQuery({
    queryKey: ['destinations'],
    queryFn: ({ signal }) => apiFetch<TDestinations>('/api/v1/destinations', { signal }),
    staleTime: STALE_MS,
  });
}

/** "queue billing-in" or "exchange billing / key invoice.created": how the console names a destination. */
export function describeDestination(d: { exchange: string | null; routingKey: string | null; queue?: string | null }): string {
  if (d.queue) return `queue ${d.queue}`;
  if (d.exchange === '' || d.exchange === null) return `queue ${d.routingKey ?? ''}`;
  return `exchange ${d.exchange} / key ${d.routingKey ?? ''}`;
}
