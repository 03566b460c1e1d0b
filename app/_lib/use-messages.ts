'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { TMessageCounts, TMessageDetail, TMessagePage, TMessageStatus } from '@/lib/messages/message-dto';
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

/** A publish in flight: the broker's confirm is awaited, no action is possible. */
export const PUBLISHING_STATUSES: readonly TMessageStatus[] = ['replaying', 'redirecting'];
export const PUBLISH_POLL_MS = 1_000;

export function isPublishing(status: TMessageStatus | undefined): boolean {
  return status !== undefined && PUBLISHING_STATUSES.includes(status);
}

export function messagePath(id: string, rest = '') {
  return `/api/v1/messages/${encodeURIComponent(id)}${rest}`;
}

/** One message; polled every second while its publish is in flight, until it settles. */
export function useMessage(id: string) {
  return useQuery({
    queryKey: ['message', id],
    queryFn: ({ signal }) => apiFetch<TMessageDetail>(messagePath(id), { signal }),
    refetchInterval: (query) => (isPublishing(query.state.data?.status) ? PUBLISH_POLL_MS : false),
  });
}
