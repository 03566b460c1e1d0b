'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TRedactionKind, TRedactionRule } from '@/lib/redaction/redaction-rule-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const RULES = ['redaction-rules'];

export function useRedactionRules({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: RULES,
    queryFn: ({ signal }) => apiFetch<{ items: TRedactionRule[] }>('/api/v1/redaction-rules', { signal }),
    select: (data) => data.items,
    enabled,
  });
}

export function useCreateRedactionRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: TRedactionKind; pattern: string }) => apiFetch<{ rule: TRedactionRule }>('/api/v1/redaction-rules', jsonRequest('POST', body)),
    // A rule changes what every message shows: drop cached messages too.
    onSettled: () => client.invalidateQueries(),
  });
}

export function useDeleteRedactionRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ rule: TRedactionRule }>(`/api/v1/redaction-rules/${encodeURIComponent(id)}`, jsonRequest('DELETE')),
    onSettled: () => client.invalidateQueries(),
  });
}
