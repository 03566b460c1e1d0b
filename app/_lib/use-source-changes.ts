'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

// Same key as use-sources.ts.
const SOURCES = ['sources'];
const sourcePath = (queue: string) => `/api/v1/sources/${encodeURIComponent(queue)}`;

function useSourceMutation<V, R>(request: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: request, onSettled: () => client.invalidateQueries({ queryKey: SOURCES }) });
}

export const useAddSource = () =>
  useSourceMutation((queue: string) => apiFetch<{ source: { queue: string } }>('/api/v1/sources', jsonRequest('POST', { queue })));

export const useProtectSource = () =>
  useSourceMutation(({ queue, protect }: { queue: string; protect: boolean }) => apiFetch(sourcePath(queue), jsonRequest('PATCH', { protected: protect })));

/** What the worker does with a source's new messages once their owner is known (lib/ownership). */
export const useUpdateSource = () =>
  useSourceMutation(({ queue, changes }: { queue: string; changes: { autoRedirect?: boolean; unmatchedToAllTeams?: boolean } }) =>
    apiFetch(sourcePath(queue), jsonRequest('PATCH', changes)));

export const useRemoveSource = () => useSourceMutation((queue: string) => apiFetch(sourcePath(queue), jsonRequest('DELETE')));
