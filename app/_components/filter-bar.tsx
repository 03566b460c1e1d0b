'use client';

import { useCallback, useState, type Ref } from 'react';
import { searchProblem } from '@/lib/messages/parse-search';
import { pathFilterProblem } from '@/lib/messages/parse-json-path-filter';
import { ApiError } from '../_lib/api-error';
import { hasFilters, MIN_SEARCH_LENGTH, REASON_OPTIONS, STATUS_OPTIONS, type TFilters } from '../_lib/message-filters';
import { useHydrated } from '../_lib/use-hydrated';
import { useMessageCounts, useMessages } from '../_lib/use-messages';
import { useSources } from '../_lib/use-sources';
import { DateFilter } from './date-filter';
import { SearchHelp } from './search-help';
import { SelectFilter } from './select-filter';
import { TextFilter } from './text-filter';

type TProps = {
  filters: TFilters;
  setFilters: (patch: Partial<TFilters>) => void;
  clearFilters: () => void;
  searchRef: Ref<HTMLInputElement>;
};

// Typing commits after a pause only what parses (an open quote mid-phrase is not sent);
// Enter sends anything, and the API's answer says what is wrong, under the field.
const isSearchReady = (q: string) => q.length === 0 || searchProblem(q) === null;
const isPathReady = (path: string) => path.length === 0 || pathFilterProblem(path) === null;
const always = () => true;

/** The API's refusal of the search or path filter, for the field it is about. */
function fieldErrors(error: unknown, filters: TFilters): { q: string | null; path: string | null } {
  if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 403)) return { q: null, path: null };
  const message = error.message;
  if (message.includes('"q"')) return { q: message.replace('Invalid query parameter "q": ', 'Search: '), path: null };
  if (message.includes('"path"') || message.startsWith('The JSON path filter')) {
    return { q: null, path: message.replace('Invalid query parameter "path": ', 'JSON path: ') };
  }
  if (message.startsWith('Search took too long')) return filters.q ? { q: message, path: null } : { q: null, path: message };
  return { q: null, path: null };
}

export function FilterBar({ filters, setFilters, clearFilters, searchRef }: TProps) {
  const sources = useSources();
  const hydrated = useHydrated();
  // The screen's own queries (same keys): read here for their errors, never fetched twice.
  const list = useMessages(filters);
  const counts = useMessageCounts(filters);
  const errors = fieldErrors(list.error ?? counts.error, filters);
  const [searchDraft, setSearchDraft] = useState(filters.q);
  const draft = searchDraft.trim();
  const tooShort = draft.length > 0 && draft.length < MIN_SEARCH_LENGTH;
  const commitOrigin = useCallback((origin: string) => setFilters({ origin }), [setFilters]);
  const commitSearch = useCallback((q: string) => setFilters({ q }), [setFilters]);
  const commitPath = useCallback((path: string) => setFilters({ path }), [setFilters]);

  return (
    <form role="search" aria-label="Filter dead letters" onSubmit={(e) => e.preventDefault()}>
      <fieldset disabled={!hydrated} className="flex min-w-0 flex-wrap items-start gap-x-3 gap-y-2">
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
          placeholder={'words, "a phrase", -not, a OR b, pre*'}
          hint={
            <span className={tooShort ? 'font-medium text-amber-700 dark:text-amber-400' : 'text-muted'}>
              {tooShort ? `type at least ${MIN_SEARCH_LENGTH} characters` : `min ${MIN_SEARCH_LENGTH} chars`}
            </span>
          }
          extra={<SearchHelp />}
          error={errors.q}
          className="w-72"
          inputRef={searchRef}
        />
        <TextFilter
          id="filter-path"
          label="JSON path"
          value={filters.path}
          onCommit={commitPath}
          isReady={isPathReady}
          placeholder={'$.customer.id = "42"'}
          error={errors.path}
          className="w-56"
        />
        <DateFilter id="filter-from" label="Received from" value={filters.from} onChange={(from) => setFilters({ from })} />
        <DateFilter id="filter-to" label="Received to" value={filters.to} onChange={(to) => setFilters({ to })} isUpperBound />
        <button type="button" onClick={clearFilters} disabled={!hasFilters(filters)} className="btn mt-[18px]">
          Clear filters
        </button>
      </fieldset>
    </form>
  );
}
