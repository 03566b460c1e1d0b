'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import { CATEGORIES } from '@/lib/groups/categories';
import { GROUP_SORTS } from '@/lib/groups/group-dto';
import { MESSAGE_STATUSES } from '@/lib/messages/message-dto';
import { formatCount } from '../_lib/format';
import { hasGroupFilters, useGroupFilters, useGroups } from '../_lib/use-groups';
import { useListKeys } from '../_lib/use-list-keys';
import { useNow } from '../_lib/use-now';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { GroupRow } from './group-row';
import { SelectFilter } from './select-filter';
import { SkeletonRows } from './skeleton-rows';
import { StaleBanner } from './stale-banner';
import { TextFilter } from './text-filter';

const COLUMNS = ['Failure', 'Messages', 'Last 24 h', 'First seen', 'Last seen', 'Status', 'Owner', 'Category', 'Runbook'];
const SORT_LABELS: Record<string, string> = { last_seen: 'Last seen', count: 'Most messages' };
const KEYS = [['/', 'search'], ['j/k', 'move'], ['enter', 'open']] as const;

export function GroupsScreen() {
  const router = useRouter();
  const now = useNow();
  const { filters, setFilters, clearFilters } = useGroupFilters();
  const list = useGroups(filters);
  const searchRef = useRef<HTMLInputElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const groups = useMemo(() => list.data?.pages.flatMap((p) => p.items), [list.data]);
  const ids = useMemo(() => groups?.map((g) => g.id) ?? [], [groups]);
  const open = useCallback((id: string) => router.push(`/groups/${id}`), [router]);
  useListKeys({ ids, selectedId, select: setSelectedId, open, searchRef, rowAttribute: 'data-group-id' });

  const filtered = hasGroupFilters(filters);
  let body;
  if (list.isError && !list.data) {
    body = (
      <tr><td colSpan={COLUMNS.length} className="p-3">
        <ErrorPanel title="Could not load failure groups" error={list.error} onRetry={() => void list.refetch()}>
          {filtered && <button type="button" onClick={clearFilters} className="btn">Clear filters</button>}
        </ErrorPanel>
      </td></tr>
    );
  } else if (groups && groups.length === 0) {
    body = (
      <tr><td colSpan={COLUMNS.length} className="p-0">
        <EmptyPanel title={filtered ? 'No group matches these filters' : 'No failure groups yet'}>
          {filtered
            ? <button type="button" onClick={clearFilters} className="btn mt-2">Clear filters</button>
            : 'The worker groups dead letters by origin, reason and exception a few seconds after they arrive.'}
        </EmptyPanel>
      </td></tr>
    );
  } else if (groups) {
    body = groups.map((g) => <GroupRow key={g.id} group={g} now={now} isSelected={g.id === selectedId} onOpen={open} />);
  } else {
    body = <SkeletonRows columns={COLUMNS.length} rows={6} />;
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-base font-semibold">Failure groups</h1>
        <p className="text-xs text-muted">Dead letters with the same origin, reason and exception (ids, numbers and quoted values aside) are one failure.</p>
      </div>
      <div role="search" aria-label="Filter failure groups" className="flex flex-wrap items-end gap-2 rounded-md border border-line bg-panel p-2">
        <TextFilter id="groups-q" label="Exception text" value={filters.q} onCommit={(q) => setFilters({ q })} isReady={(d) => d.length === 0 || d.length >= 2}
          placeholder="e.g. TimeoutException" inputRef={searchRef} hint={<kbd className="rounded border border-line px-1 font-mono text-[10px] text-muted">/</kbd>} />
        <TextFilter id="groups-origin" label="Origin queue" value={filters.origin} onCommit={(origin) => setFilters({ origin })} placeholder="exact name" className="w-72" />
        <SelectFilter id="groups-category" label="Category" value={filters.category} options={CATEGORIES} anyLabel="Any category" onChange={(category) => setFilters({ category })} />
        <SelectFilter id="groups-status" label="Has messages in status" value={filters.status} options={MESSAGE_STATUSES} anyLabel="Any status" onChange={(status) => setFilters({ status })} />
        <div className="flex flex-col gap-0.5">
          <label htmlFor="groups-sort" className="text-xs font-medium text-muted">Sort by</label>
          <select id="groups-sort" value={filters.sort || 'last_seen'} onChange={(e) => setFilters({ sort: e.target.value === 'last_seen' ? '' : e.target.value })} className="field pr-1">
            {GROUP_SORTS.map((s) => <option key={s} value={s}>{SORT_LABELS[s]}</option>)}
          </select>
        </div>
        {filtered && <button type="button" onClick={clearFilters} className="btn ml-auto h-8 text-xs">Clear filters</button>}
      </div>
      {list.isError && list.data && <StaleBanner error={list.error} updatedAt={list.dataUpdatedAt} onRetry={() => void list.refetch()} />}
      <div className="overflow-x-auto rounded-md border border-line bg-panel">
        <table aria-label="Failure groups" aria-busy={!groups && !list.isError} className="w-full border-collapse text-[13px]">
          <thead>
            <tr className="border-b border-line bg-sunken text-left text-xs text-muted">
              {COLUMNS.map((c) => <th key={c} scope="col" className={`px-2 py-1.5 font-medium whitespace-nowrap ${c === 'Messages' ? 'text-right' : ''}`}>{c}</th>)}
            </tr>
          </thead>
          <tbody>{body}</tbody>
        </table>
      </div>
      {groups && groups.length > 0 && (
        <div className="flex flex-wrap items-center gap-3 text-xs text-muted">
          <span aria-live="polite" className="tabular-nums">{list.hasNextPage ? `Showing ${formatCount(groups.length)}` : `All ${formatCount(groups.length)} loaded`}</span>
          {list.hasNextPage && (
            <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} className="btn h-7 text-xs">
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
          <span className="ml-auto flex items-center gap-2">
            {KEYS.map(([k, what]) => <span key={k}><kbd className="rounded border border-line px-1 font-mono text-[10px]">{k}</kbd> {what}</span>)}
            <span>· updated {new Date(list.dataUpdatedAt).toLocaleTimeString()}</span>
          </span>
        </div>
      )}
    </div>
  );
}
