'use client';

import { useCallback, useEffect, useMemo, useRef } from 'react';
import { AUDIT_ACTIONS } from '@/lib/audit/record-audit-event';
import { formatCount } from '../_lib/format';
import { useAuditEvents, useAuditFilters } from '../_lib/use-audit-events';
import { useHydrated } from '../_lib/use-hydrated';
import { AuditTable } from './audit-table';
import { DateFilter } from './date-filter';
import { ErrorPanel } from './error-panel';
import { SelectFilter } from './select-filter';
import { TextFilter } from './text-filter';

const always = () => true;

export function AuditScreen() {
  const { filters, setFilters, clearFilters, hasFilters } = useAuditFilters();
  const events = useAuditEvents(filters);
  const hydrated = useHydrated();
  const items = useMemo(() => events.data?.pages.flatMap((p) => p.items), [events.data]);
  const commitActor = useCallback((actor: string) => setFilters({ actor }), [setFilters]);
  const commitMessage = useCallback((messageId: string) => setFilters({ messageId }), [setFilters]);

  // Scrolling to the end loads the next page; the button does the same for keyboards.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = events;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    }, { rootMargin: '200px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  let placeholder = null;
  if (events.isError && !events.data) {
    placeholder = (
      <div className="p-3">
        <ErrorPanel title="Could not load the audit record" error={events.error} onRetry={() => void events.refetch()}>
          {hasFilters && <button type="button" onClick={clearFilters} className="btn">Clear filters</button>}
        </ErrorPanel>
      </div>
    );
  } else if (items && items.length === 0) {
    placeholder = (
      <div className="px-4 py-10 text-center">
        <p className="text-sm font-semibold">{hasFilters ? 'No audit events match these filters' : 'No audit events yet'}</p>
        <p className="mt-1 text-[13px] text-muted">
          {hasFilters ? 'Widen the time range or remove a filter.' : 'Every change made through the console, the API or the CLI is recorded here.'}
        </p>
        {hasFilters && <button type="button" onClick={clearFilters} className="btn mt-3">Clear filters</button>}
      </div>
    );
  }

  return (
    <div className="space-y-3">
      <div className="flex items-baseline gap-3">
        <h1 className="text-base font-semibold">Audit record</h1>
        <p className="text-xs text-muted">Who did what, when and why. Append-only: events cannot be changed or removed.</p>
      </div>
      <form role="search" aria-label="Filter audit events" onSubmit={(e) => e.preventDefault()}>
        <fieldset disabled={!hydrated} className="flex min-w-0 flex-wrap items-end gap-x-3 gap-y-2">
          <TextFilter id="audit-actor" label="Actor" value={filters.actor} onCommit={commitActor} isReady={always} placeholder="user:ana@… or user:*" className="w-56" hint={<span className="text-muted">end with * for a prefix</span>} />
          <SelectFilter id="audit-action" label="Action" value={filters.action} options={AUDIT_ACTIONS} anyLabel="Any action" onChange={(action) => setFilters({ action })} mono />
          <TextFilter id="audit-message" label="Message" value={filters.messageId} onCommit={commitMessage} isReady={always} placeholder="e.g. 1234" className="w-32" />
          <DateFilter id="audit-from" label="From" value={filters.from} onChange={(from) => setFilters({ from })} />
          <DateFilter id="audit-to" label="To" value={filters.to} onChange={(to) => setFilters({ to })} isUpperBound />
          <button type="button" onClick={clearFilters} disabled={!hasFilters} className="btn">Clear filters</button>
        </fieldset>
      </form>
      <AuditTable events={items} placeholder={placeholder} />
      {items && items.length > 0 && (
        <div className="flex items-center gap-3 py-2 text-xs text-muted">
          <span aria-live="polite" className="tabular-nums">
            {events.hasNextPage ? `Showing the newest ${formatCount(items.length)}` : `All ${formatCount(items.length)} loaded`}
          </span>
          {events.hasNextPage && (
            <button type="button" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage} className="btn h-7 text-xs">
              {events.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
          {events.isError && events.data && <span role="alert" className="text-red-800 dark:text-red-300">Loading more failed: {events.error.message}</span>}
        </div>
      )}
      <div ref={sentinel} aria-hidden />
    </div>
  );
}
