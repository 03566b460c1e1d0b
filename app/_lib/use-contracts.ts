'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TContract } from '@/lib/contracts/contract-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const CONTRACTS = ['contracts'];

export function useContracts() {
  return useQuery({
    queryKey: CONTRACTS,
    queryFn: ({ signal }) => apiFetch<{ items: TContract[] }>('/api/v1/contracts', { signal }),
    select: (data) => data.items,
  });
}

/** Sets or replaces an origin's contract. */
export function useSetContract() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { origin: string; schema: Record<string, unknown> }) => apiFetch<{ contract: TContract }>('/api/v1/contracts', jsonRequest('PUT', body)),
    onSettled: () => client.invalidateQueries({ queryKey: CONTRACTS }),
  });
}

export function useRemoveContract() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (origin: string) => apiFetch<{ contract: TContract }>(`/api/v1/contracts?${new URLSearchParams({ origin })}`, jsonRequest('DELETE')),
    onSettled: () => client.invalidateQueries({ queryKey: CONTRACTS }),
  });
}
