'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TSettings } from '@/lib/settings/settings-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const SETTINGS = ['settings'];

export function useSettings() {
  return useQuery({
    queryKey: SETTINGS,
    queryFn: ({ signal }) => apiFetch<{ settings: TSettings }>('/api/v1/settings', { signal }),
    select: (data) => data.settings,
  });
}

export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: { approvalThreshold?: number }) => apiFetch<{ settings: TSettings }>('/api/v1/settings', jsonRequest('PATCH', changes)),
    onSuccess: (data) => client.setQueryData(SETTINGS, data),
    onSettled: () => client.invalidateQueries({ queryKey: SETTINGS }),
  });
}
