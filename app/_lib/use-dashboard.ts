'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { TDashboardRange } from '@/lib/dashboard/baseline';
import type { TDashboard, TDashboardBy } from '@/lib/dashboard/dashboard-dto';
import { apiFetch } from './api-fetch';

// The dashboard's view (range, per source or origin, an optional queue) lives in the URL so
// a link shows the same thing; the data polls (every 5 s for the last hour) while the tab is visible (React Query pauses
// a refetchInterval in a hidden tab) and on focus.

/** Per-minute bars move every few seconds; hourly ones (which read up to 14 days of counts) need not. */
export const DASHBOARD_REFRESH_MS: Record<TDashboardRange, number> = { '1h': 5_000, '24h': 15_000, '7d': 30_000 };

export type TDashboardView = { range: TDashboardRange; by: TDashboardBy; source: string; origin: string };

function readView(params: URLSearchParams): TDashboardView {
  const range = params.get('range');
  const by = params.get('by');
  return {
    range: range === '24h' || range === '7d' ? range : '1h',
    by: by === 'origin' ? 'origin' : 'source',
    source: params.get('source') ?? '',
    origin: params.get('origin') ?? '',
  };
}

function viewQuery(view: TDashboardView, { full = false } = {}): string {
  const params = new URLSearchParams();
  if (full || view.range !== '1h') params.set('range', view.range);
  if (full || view.by !== 'source') params.set('by', view.by);
  if (view.source) params.set('source', view.source);
  if (view.origin) params.set('origin', view.origin);
  return params.toString();
}

export function useDashboardView() {
  const params = useSearchParams();
  const pathname = usePathname();
  const query = params.toString();
  const view = useMemo(() => readView(new URLSearchParams(query)), [query]);
  const setView = useCallback((patch: Partial<TDashboardView>) => {
    const next = viewQuery({ ...readView(new URLSearchParams(window.location.search)), ...patch });
    window.history.replaceState(null, '', next ? `${pathname}?${next}` : pathname);
  }, [pathname]);
  return { view, setView };
}

export function useDashboard(view: TDashboardView) {
  return useQuery({
    queryKey: ['dashboard', view],
    queryFn: ({ signal }) => apiFetch<TDashboard>(`/api/v1/dashboard?${viewQuery(view, { full: true })}`, { signal }),
    refetchInterval: DASHBOARD_REFRESH_MS[view.range],
    placeholderData: keepPreviousData,
  });
}
