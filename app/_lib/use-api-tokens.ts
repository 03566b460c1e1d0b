'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TApiToken } from '@/lib/tokens/api-token-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const TOKENS = ['api-tokens'];

export type TNewTokenBody = { name: string; role: string; expiresInDays: number | null; team: string | null };

export function useApiTokens({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: TOKENS,
    queryFn: ({ signal }) => apiFetch<{ items: TApiToken[] }>('/api/v1/tokens', { signal }),
    select: (data) => data.items,
    enabled,
  });
}

/** Answers the token and its secret: the only time the secret is ever seen. */
export function useCreateApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TNewTokenBody) => apiFetch<{ token: TApiToken; secret: string }>('/api/v1/tokens', jsonRequest('POST', body)),
    onSettled: () => client.invalidateQueries({ queryKey: TOKENS }),
  });
}

export function useRevokeApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ token: TApiToken; alreadyRevoked: boolean }>(`/api/v1/tokens/${encodeURIComponent(id)}`, jsonRequest('DELETE')),
    onSettled: () => client.invalidateQueries({ queryKey: TOKENS }),
  });
}
