'use client';

import { useQuery } from '@tanstack/react-query';
import type { TSourceSummary } from '@/lib/sources/list-sources';
import { apiFetch } from './api-fetch';

export function useSources() {
  return useQuery({
    queryKey: ['sources'],
    queryFn: ({ signal }) => apiFetch<{ items: TSourceSummary[] }>('/api/v1/sources', { signal }),
    select: (data) => data.items,
    refetchInterval: 15_000,
  });
}
