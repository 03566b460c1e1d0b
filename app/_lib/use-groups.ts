'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { TGroup, TGroupPage } from '@/lib/groups/group-dto';
import { apiFetch } from './api-fetch';

// Failure groups: the list (filters in the URL, like the messages list) and one group.

export const GROUP_FILTER_KEYS = ['origin', 'category', 'status', 'q', 'sort'] as const;
export type TGroupFilters = Record<(typeof GROUP_FILTER_KEYS)[number], string>;
export const EMPTY_GROUP_FILTERS: TGroupFilters = { origin: '', category: '', status: '', q: '', sort: '' };
const REFRESH_MS = 10_000;
const PAGE_SIZE = '50';

function readGroupFilters(params: URLSearchParams): TGroupFilters {
  const f = { ...EMPTY_GROUP_FILTERS };
  for (const key of GROUP_FILTER_KEYS) f[key] = params.get(key) ?? '';
  return f;
}

export function groupQuery(filters: TGroupFilters, extra: Record<string, string | null> = {}): string {
  const params = new URLSearchParams();
  for (const key of GROUP_FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

export function hasGroupFilters(f: TGroupFilters) {
  return f.origin !== '' || f.category !== '' || f.status !== '' || f.q !== '';
}

/** The list filters, kept in the URL so a view can be shared and survives a reload. */
export function useGroupFilters() {
  const params = useSearchParams();
  const pathname = usePathname();
  const query = params.toString();
  const filters = useMemo(() => readGroupFilters(new URLSearchParams(query)), [query]);
  const setFilters = useCallback((patch: Partial<TGroupFilters>) => {
    const next = groupQuery({ ...readGroupFilters(new URLSearchParams(window.location.search)), ...patch });
    window.history.replaceState(null, '', next ? `${pathname}?${next}` : pathname);
  }, [pathname]);
  const clearFilters = useCallback(() => setFilters(EMPTY_GROUP_FILTERS), [setFilters]);
  return { filters, setFilters, clearFilters };
}

export function useGroups(filters: TGroupFilters) {
  return useInfiniteQuery({
    queryKey: ['groups', filters],
    queryFn: ({ pageParam, signal }) => apiFetch<TGroupPage>(`/api/v1/groups?${groupQuery(filters, { limit: PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (q) => ((q.state.data?.pages.length ?? 0) <= 2 ? REFRESH_MS : false),
  });
}

export function useGroup(id: string) {
  return useQuery({
    queryKey: ['group', id],
    queryFn: ({ signal }) => apiFetch<TGroup>(`/api/v1/groups/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: REFRESH_MS,
  });
}
