'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo } from 'react';
import { EMPTY_FILTERS, filterQuery, readFilters, type TFilters } from './message-filters';

export const LAST_LIST_URL_KEY = 'dlq:last-list-url';

/** The list filters, kept in the URL so a view can be shared and survives a reload. */
export function useUrlFilters() {
  const params = useSearchParams();
  const pathname = usePathname();
  const query = params.toString();
  const filters = useMemo(() => readFilters(new URLSearchParams(query)), [query]);

  useEffect(() => {
    // The detail page's "← Messages" goes back to this exact view.
    sessionStorage.setItem(LAST_LIST_URL_KEY, query ? `${pathname}?${query}` : pathname);
  }, [pathname, query]);

  const setFilters = useCallback(
    (patch: Partial<TFilters>) => {
      const next = filterQuery({ ...readFilters(new URLSearchParams(window.location.search)), ...patch });
      // The native History API updates useSearchParams without a server round trip (filters are client state).
      window.history.replaceState(null, '', next ? `${pathname}?${next}` : pathname);
    },
    [pathname],
  );

  const clearFilters = useCallback(() => setFilters(EMPTY_FILTERS), [setFilters]);

  return { filters, setFilters, clearFilters };
}
