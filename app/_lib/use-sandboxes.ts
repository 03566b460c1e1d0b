'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TSandbox } from '@/lib/sandboxes/sandbox-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

// The same query key as the replay dialog's sandbox picker, so a change here shows there.
const SANDBOXES = ['sandboxes'];

export function useSandboxes({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: SANDBOXES,
    queryFn: ({ signal }) => apiFetch<{ items: TSandbox[] }>('/api/v1/sandboxes', { signal }),
    select: (data) => data.items,
    enabled,
  });
}

export function useCreateSandbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; url: string }) => apiFetch<{ sandbox: TSandbox }>('/api/v1/sandboxes', jsonRequest('POST', body)),
    onSettled: () => client.invalidateQueries({ queryKey: SANDBOXES }),
  });
}

export function useDeleteSandbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ sandbox: TSandbox }>(`/api/v1/sandboxes/${encodeURIComponent(id)}`, jsonRequest('DELETE')),
    onSettled: () => client.invalidateQueries({ queryKey: SANDBOXES }),
  });
}
