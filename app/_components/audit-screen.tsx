'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../_lib/api-error';
import { formatCount } from '../_lib/format';
import { useAuditEvents, useAuditFilters, useOpenAuditEvent } from '../_lib/use-audit-events';
import { useHydrated } from '../_lib/use-hydrated';
import { useListKeys } from '../_lib/use-list-keys';
import { canDo, useMe } from '../_lib/use-me';
import { AuditEventPanel } from './audit-event-panel';
import { AuditExportLinks } from './audit-export-links';
import { AuditFilterBar } from './audit-filter-bar';
import { AuditQuickFilters } from './audit-quick-filters';
import { AuditTable } from './audit-table';
import { ErrorPanel } from './error-panel';

const isTyping = (el: Element | null) => el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;

export function AuditScreen() {
  const { filters, setFilters, clearFilters, hasFilters } = useAuditFilters();
  const { openId, setOpenId } = useOpenAuditEvent();
  const events = useAuditEvents(filters);
  const me = useMe();
  const hydrated = useHydrated();
  const searchRef = useRef<HTMLInputElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const items = useMemo(() => events.data?.pages.flatMap((p) => p.items), [events.data]);
  const ids = useMemo(() => items?.map((e) => e.id) ?? [], [items]);
  // A refused filter (400) is the same for the export: it is not offered until fixed.
  const filtersRefused = events.isError && events.error instanceof ApiError && events.error.status === 400;

  const open = useCallback((id: string) => {
    setSelectedId(id);
    setOpenId(id);
  }, [setOpenId]);
  // With the panel open, j/k walk it through the events; closed, they only move the selection.
  const select = useCallback((id: string) => {
    setSelectedId(id);
    if (new URLSearchParams(window.location.search).has('event')) setOpenId(id);
  }, [setOpenId]);
  const close = useCallback(() => setOpenId(null), [setOpenId]);
  const filterByActor = useCallback((actor: string) => setFilters({ actor }), [setFilters]);
  useListKeys({ ids, selectedId, select, open, searchRef, rowAttribute: 'data-audit-id' });

  // Escape closes the panel (inside a field it first leaves the field, as elsewhere), and focus returns to its row.
  useEffect(() => {
    if (!openId) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== 'Escape' || event.defaultPrevented || isTyping(document.activeElement)) return;
      event.preventDefault();
      setOpenId(null);
      // The row, not its button: Enter on a focused button would open that row instead of the one j/k selected.
      document.querySelector<HTMLElement>(`tr[data-audit-id="${openId}"]`)?.focus({ preventScroll: true });
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openId, setOpenId]);

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
        <ErrorPanel title={filtersRefused ? 'These filters were refused' : 'Could not load the audit record'} error={events.error} onRetry={filtersRefused ? undefined : () => void events.refetch()}>
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
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-base font-semibold">Audit record</h1>
        <p className="text-xs text-muted">Who did what, when and why. Append-only and hash-chained: events cannot be changed or removed unnoticed.</p>
      </div>
      <AuditFilterBar filters={filters} setFilters={setFilters} clearFilters={clearFilters} hasFilters={hasFilters} searchRef={searchRef} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <AuditQuickFilters setFilters={setFilters} disabled={!hydrated} />
        {/* After hydration only: /me may have answered before this boundary hydrates, and the server rendered no links. */}
        {hydrated && canDo(me.data, 'audit:export') && <AuditExportLinks filters={filters} disabled={filtersRefused} />}
      </div>
      <AuditTable events={items} placeholder={placeholder} selectedId={selectedId} openId={openId} onOpen={open} onClose={close} onActor={filterByActor} />
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
          <span className="ml-auto hidden sm:inline">/ actor · j/k move · Enter opens · Esc closes</span>
        </div>
      )}
      <div ref={sentinel} aria-hidden />
      {openId && <AuditEventPanel id={openId} listed={items?.find((e) => e.id === openId)} onClose={close} onActor={filterByActor} />}
    </div>
  );
}
