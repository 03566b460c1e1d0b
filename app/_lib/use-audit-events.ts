'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { TAuditPage } from '@/lib/audit/audit-query';
import { apiFetch } from './api-fetch';

// The audit page's filters live in the URL (shareable, survive a reload), as the list's do.

export const AUDIT_FILTER_KEYS = ['actor', 'action', 'messageId', 'from', 'to'] as const;
export type TAuditFilters = Record<(typeof AUDIT_FILTER_KEYS)[number], string>;
export const EMPTY_AUDIT_FILTERS: TAuditFilters = { actor: '', action: '', messageId: '', from: '', to: '' };

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
      const next = auditQuery({ ...readAuditFilters(new URLSearchParams(window.location.search)), ...patch });
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
