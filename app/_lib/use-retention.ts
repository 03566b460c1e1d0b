'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TRetentionOverview } from '@/lib/retention/list-retention-policies';
import type { TRetentionPolicy } from '@/lib/retention/retention-policy-dto';
import type { TMessageStatus } from '@/lib/messages/message-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const RETENTION = ['retention'];

export function useRetention({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: RETENTION,
    queryFn: ({ signal }) => apiFetch<TRetentionOverview>('/api/v1/retention', { signal }),
    enabled,
  });
}

export type TPolicyChange = { sourceQueue: string; status: TMessageStatus; days: number | null } | { sourceQueue: string; status: TMessageStatus; remove: true };

/** Sets one policy, or removes it (`remove`). */
export function useSaveRetentionPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: TPolicyChange) =>
      'remove' in change
        ? apiFetch<{ policy: TRetentionPolicy }>('/api/v1/retention', jsonRequest('DELETE', { sourceQueue: change.sourceQueue, status: change.status }))
        : apiFetch<{ policy: TRetentionPolicy }>('/api/v1/retention', jsonRequest('PUT', change)),
    onSettled: () => client.invalidateQueries({ queryKey: RETENTION }),
  });
}
