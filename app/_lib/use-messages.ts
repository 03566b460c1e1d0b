'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { TMessageCounts, TMessageDetail, TMessagePage } from '@/lib/messages/message-dto';
import { apiFetch } from './api-fetch';
import { filterQuery, type TFilters } from './message-filters';

export const LIST_REFRESH_MS = 10_000;
const PAGE_SIZE = '50';
/** A refresh refetches every loaded page; past this many, live refresh pauses (the footer says so). */
export const MAX_LIVE_PAGES = 4;

export function isLiveRefresh(pagesLoaded: number) {
  return pagesLoaded <= MAX_LIVE_PAGES;
}

/** Newest dead letters first, page by page over `nextCursor`; refreshed while the tab is visible. */
export function useMessages(filters: TFilters) {
  return useInfiniteQuery({
    queryKey: ['messages', filters],
    queryFn: ({ pageParam, signal }) =>
      apiFetch<TMessagePage>(`/api/v1/messages?${filterQuery(filters, { limit: PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (query) => (isLiveRefresh(query.state.data?.pages.length ?? 0) ? LIST_REFRESH_MS : false),
  });
}

export function useMessageCounts(filters: TFilters) {
  return useQuery({
    queryKey: ['message-counts', filters],
    queryFn: ({ signal }) => apiFetch<TMessageCounts>(`/api/v1/messages/counts?${filterQuery(filters)}`, { signal }),
    refetchInterval: LIST_REFRESH_MS,
  });
}

export function useMessage(id: string) {
  return useQuery({
    queryKey: ['message', id],
    queryFn: ({ signal }) => apiFetch<TMessageDetail>(`/api/v1/messages/${encodeURIComponent(id)}`, { signal }),
  });
}
