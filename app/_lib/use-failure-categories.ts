'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TBuiltInRuleDto, TCategoryRuleDto } from '@/lib/groups/category-rule-dto';
import type { TRuleField } from '@/lib/groups/categories';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const RULES = ['failure-category-rules'];

export type TCategoryRuleBody = { field: TRuleField; pattern: string; category: 'transient' | 'persistent'; suggestedAction?: string; position?: number };
type TChange = { rule: TCategoryRuleDto; groupsChanged: number };

export function useFailureCategoryRules({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: RULES,
    queryFn: ({ signal }) => apiFetch<{ items: TCategoryRuleDto[]; builtIn: TBuiltInRuleDto[] }>('/api/v1/failure-category-rules', { signal }),
    enabled,
  });
}

// A rule change recomputes every group's category: the group lists and pages are read again.
const invalidate = (client: ReturnType<typeof useQueryClient>) =>
  Promise.all([RULES, ['groups'], ['group'], ['message']].map((queryKey) => client.invalidateQueries({ queryKey })));

export function useCreateFailureCategoryRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TCategoryRuleBody) => apiFetch<TChange>('/api/v1/failure-category-rules', jsonRequest('POST', body)),
    onSettled: () => invalidate(client),
  });
}

export function useDeleteFailureCategoryRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<TChange>(`/api/v1/failure-category-rules/${encodeURIComponent(id)}`, jsonRequest('DELETE')),
    onSettled: () => invalidate(client),
  });
}
