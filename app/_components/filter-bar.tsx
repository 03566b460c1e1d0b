'use client';

import { useCallback, useState, type Ref } from 'react';
import { hasFilters, MIN_SEARCH_LENGTH, REASON_OPTIONS, STATUS_OPTIONS, type TFilters } from '../_lib/message-filters';
import { useHydrated } from '../_lib/use-hydrated';
import { useSources } from '../_lib/use-sources';
import { DateFilter } from './date-filter';
import { SelectFilter } from './select-filter';
import { TextFilter } from './text-filter';

type TProps = {
  filters: TFilters;
  setFilters: (patch: Partial<TFilters>) => void;
  clearFilters: () => void;
  searchRef: Ref<HTMLInputElement>;
};

const isSearchReady = (q: string) => q.length === 0 || q.length >= MIN_SEARCH_LENGTH;
const always = () => true;

export function FilterBar({ filters, setFilters, clearFilters, searchRef }: TProps) {
  const sources = useSources();
  const hydrated = useHydrated();
  const [searchDraft, setSearchDraft] = useState(filters.q);
  const tooShort = searchDraft.trim().length > 0 && searchDraft.trim().length < MIN_SEARCH_LENGTH;
  const commitOrigin = useCallback((origin: string) => setFilters({ origin }), [setFilters]);
  const commitSearch = useCallback((q: string) => setFilters({ q }), [setFilters]);

  return (
    <form role="search" aria-label="Filter dead letters" onSubmit={(e) => e.preventDefault()}>
      <fieldset disabled={!hydrated} className="flex min-w-0 flex-wrap items-end gap-x-3 gap-y-2">
        <SelectFilter
          id="filter-source"
          label="Source"
          value={filters.source}
          options={sources.data?.map((s) => s.queue) ?? []}
          anyLabel={sources.isPending ? 'All sources (loading…)' : 'All sources'}
          onChange={(source) => setFilters({ source })}
          mono
        />
        <TextFilter id="filter-origin" label="Origin" value={filters.origin} onCommit={commitOrigin} isReady={always} placeholder="exact queue name" className="w-40" />
        <SelectFilter id="filter-reason" label="Reason" value={filters.reason} options={REASON_OPTIONS} anyLabel="Any reason" onChange={(reason) => setFilters({ reason })} />
        <SelectFilter id="filter-status" label="Status" value={filters.status} options={STATUS_OPTIONS} anyLabel="Any status" onChange={(status) => setFilters({ status })} />
        <TextFilter
          id="filter-q"
          label="Search"
          value={filters.q}
          onCommit={commitSearch}
          isReady={isSearchReady}
          onDraft={setSearchDraft}
          placeholder="id, correlation id, routing key"
          hint={
            <span className={tooShort ? 'font-medium text-amber-700 dark:text-amber-400' : 'text-muted'}>
              {tooShort ? `type at least ${MIN_SEARCH_LENGTH} characters` : `min ${MIN_SEARCH_LENGTH} chars`}
            </span>
          }
          className="w-64"
          inputRef={searchRef}
        />
        <DateFilter id="filter-from" label="Received from" value={filters.from} onChange={(from) => setFilters({ from })} />
        <DateFilter id="filter-to" label="Received to" value={filters.to} onChange={(to) => setFilters({ to })} isUpperBound />
        <button type="button" onClick={clearFilters} disabled={!hasFilters(filters)} className="btn">
          Clear filters
        </button>
      </fieldset>
    </form>
  );
}
