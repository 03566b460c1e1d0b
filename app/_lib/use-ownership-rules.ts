'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TOwnershipRule, TOwnershipRuleFields } from '@/lib/ownership/ownership-rule-dto';
import type { TRulePreview } from '@/lib/ownership/preview-ownership-rule';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const RULES = ['ownership-rules'];
const rulePath = (id: string) => `/api/v1/ownership-rules/${encodeURIComponent(id)}`;

export function useOwnershipRules({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: RULES,
    queryFn: ({ signal }) => apiFetch<{ items: TOwnershipRule[] }>('/api/v1/ownership-rules', { signal }),
    select: (data) => data.items,
    enabled,
  });
}

/** Adds a rule, or with an id changes it. */
export function useSaveOwnershipRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: TOwnershipRuleFields }) =>
      id ? apiFetch<{ rule: TOwnershipRule }>(rulePath(id), jsonRequest('PATCH', body)) : apiFetch<{ rule: TOwnershipRule }>('/api/v1/ownership-rules', jsonRequest('POST', body)),
    onSettled: () => client.invalidateQueries({ queryKey: RULES }),
  });
}

/** Enables, disables or moves a rule (`position`). */
export function usePatchOwnershipRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: { enabled?: boolean; position?: number } }) => apiFetch<{ rule: TOwnershipRule }>(rulePath(id), jsonRequest('PATCH', changes)),
    onSettled: () => client.invalidateQueries({ queryKey: RULES }),
  });
}

export function useDeleteOwnershipRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ rule: TOwnershipRule }>(rulePath(id), jsonRequest('DELETE')),
    onSettled: () => client.invalidateQueries({ queryKey: RULES }),
  });
}

/** What an unsaved rule would match among the most recent messages. */
export function usePreviewOwnershipRule() {
  return useMutation({
    mutationFn: (body: TOwnershipRuleFields) => apiFetch<TRulePreview>('/api/v1/ownership-rules/preview', jsonRequest('POST', body)),
  });
}
