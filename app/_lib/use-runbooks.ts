'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TRunbook, TRunbookKind } from '@/lib/groups/runbook-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

// Runbooks are read as part of a group or a message; these set and remove them.

const invalidate = (client: ReturnType<typeof useQueryClient>) =>
  Promise.all([['groups'], ['group'], ['message']].map((queryKey) => client.invalidateQueries({ queryKey })));

export function useSetRunbook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: TRunbookKind; key: string; url: string }) => apiFetch<{ runbook: TRunbook }>('/api/v1/runbooks', jsonRequest('PUT', body)),
    onSettled: () => invalidate(client),
  });
}

export function useRemoveRunbook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: TRunbookKind; key: string }) => apiFetch<{ runbook: TRunbook }>('/api/v1/runbooks', jsonRequest('DELETE', body)),
    onSettled: () => invalidate(client),
  });
}
