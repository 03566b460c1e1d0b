'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { TAuditExportFormat, TAuditPage } from '@/lib/audit/audit-query';
import type { TAuditEventDetail } from '@/lib/audit/get-audit-event';
import { apiFetch } from './api-fetch';

// The audit page's filters live in the URL (shareable, survive a reload), as the list's do.

export const AUDIT_FILTER_KEYS = ['actor', 'action', 'team', 'source', 'origin', 'outcome', 'messageId', 'from', 'to'] as const;
export type TAuditFilters = Record<(typeof AUDIT_FILTER_KEYS)[number], string>;
export const EMPTY_AUDIT_FILTERS: TAuditFilters = { actor: '', action: '', team: '', source: '', origin: '', outcome: '', messageId: '', from: '', to: '' };

function readAuditFilters(params: URLSearchParams): TAuditFilters {
  const filters = { ...EMPTY_AUDIT_FILTERS };
  for (const key of AUDIT_FILTER_KEYS) filters[key] = params.get(key) ?? '';
  return filters;
}

export function auditQuery(filters: TAuditFilters, extra: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

export function useAuditFilters() {
  const params = useSearchParams();
  const pathname = usePathname();
  const query = params.toString();
  const filters = useMemo(() => readAuditFilters(new URLSearchParams(query)), [query]);
  const setFilters = useCallback(
    (patch: Partial<TAuditFilters>) => {
      const current = new URLSearchParams(window.location.search);
      // The open event (?event=) is not a filter: it stays open while the filters change.
      const next = auditQuery({ ...readAuditFilters(current), ...patch }, { event: current.get('event') });
      window.history.replaceState(null, '', next ? `${pathname}?${next}` : pathname);
    },
    [pathname],
  );
  const clearFilters = useCallback(() => setFilters(EMPTY_AUDIT_FILTERS), [setFilters]);
  return { filters, setFilters, clearFilters, hasFilters: AUDIT_FILTER_KEYS.some((k) => filters[k] !== '') };
}

export function useAuditEvents(filters: TAuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam, signal }) => apiFetch<TAuditPage>(`/api/v1/audit?${auditQuery(filters, { limit: '50', cursor: pageParam })}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One event with the revision it concerns and its dispatches, re-read while a publish is pending. */
export function useAuditEvent(id: string | null) {
  return useQuery({
    queryKey: ['audit-event', id],
    queryFn: ({ signal }) => apiFetch<TAuditEventDetail>(`/api/v1/audit/${encodeURIComponent(id!)}`, { signal }),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data?.dispatches.some((d) => d.state === 'pending') ? 5_000 : false),
  });
}

/** The event open in the detail panel (?event=), kept in the URL so a link opens it. */
export function useOpenAuditEvent() {
  const params = useSearchParams();
  const pathname = usePathname();
  const setOpenId = useCallback(
    (id: string | null) => {
      const next = new URLSearchParams(window.location.search);
      if (id) next.set('event', id);
      else next.delete('event');
      const query = next.toString();
      window.history.replaceState(null, '', query ? `${pathname}?${query}` : pathname);
    },
    [pathname],
  );
  return { openId: params.get('event'), setOpenId };
}

/** The export of what the page shows: the same filters, every page. */
export function auditExportUrl(filters: TAuditFilters, format: TAuditExportFormat): string {
  return `/api/v1/audit/export?${auditQuery(filters, { format })}`;
}
