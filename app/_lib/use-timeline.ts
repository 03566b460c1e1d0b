'use client';

import { useQuery } from '@tanstack/react-query';
import type { TRevision, TTimelineItem } from '@/lib/messages/message-dto';
import { apiFetch } from './api-fetch';
import { messagePath, PUBLISH_POLL_MS } from './use-messages';

/** Oldest first. Under ['message', id] so an action's refresh reaches it too. */
export function useTimeline(id: string, { live }: { live: boolean }) {
  return useQuery({
    queryKey: ['message', id, 'timeline'],
    queryFn: ({ signal }) => apiFetch<{ items: TTimelineItem[]; truncated?: boolean }>(messagePath(id, '/timeline'), { signal }),
    refetchInterval: live ? PUBLISH_POLL_MS : false,
  });
}

/** A revision never changes once written: read it once. */
export function useRevision(id: string, n: number | null) {
  return useQuery({
    queryKey: ['message', id, 'revision', n],
    queryFn: ({ signal }) => apiFetch<TRevision>(messagePath(id, `/revisions/${n}`), { signal }),
    enabled: n !== null,
    staleTime: Infinity,
  });
}
