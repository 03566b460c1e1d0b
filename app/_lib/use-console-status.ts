'use client';

import { useQuery } from '@tanstack/react-query';
import type { TConsoleStatus } from '@/lib/health/console-status-dto';
import { apiFetch } from './api-fetch';

// The banner's status polls while the tab is visible (React Query pauses a refetchInterval
// in a hidden tab) and on focus; faster while something is down, so it clears soon after
// the outage ends. The console layout renders the first answer on the server, so a page
// opened during an outage shows the banner from its first paint instead of pushing the
// page down a moment later.

export const STATUS_REFRESH_MS = { ok: 15_000, degraded: 5_000 } as const;

export function useConsoleStatus(initial: TConsoleStatus | null) {
  return useQuery({
    queryKey: ['status'],
    queryFn: ({ signal }) => apiFetch<TConsoleStatus>('/api/v1/status', { signal }),
    initialData: initial ?? undefined,
    initialDataUpdatedAt: initial ? Date.parse(initial.checkedAt) : undefined,
    refetchInterval: (query) => (query.state.data?.status === 'ok' && !query.state.error ? STATUS_REFRESH_MS.ok : STATUS_REFRESH_MS.degraded),
    // A failed poll is itself news (the server or its database is down): show it now, retry at the next tick.
    retry: false,
  });
}
