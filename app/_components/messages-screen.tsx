'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import { hasFilters } from '../_lib/message-filters';
import { useListKeys } from '../_lib/use-list-keys';
import { isLiveRefresh, useMessageCounts, useMessages } from '../_lib/use-messages';
import { useUrlFilters } from '../_lib/use-url-filters';
import { formatCount } from '../_lib/format';
import { BulkJobLauncher } from './bulk-job-launcher';
import { CountChips } from './count-chips';
import { ErrorPanel } from './error-panel';
import { FilterBar } from './filter-bar';
import { ListEmptyState } from './list-empty-state';
import { ListFooter } from './list-footer';
import { MessagesTable } from './messages-table';
import { StaleBanner } from './stale-banner';

export function MessagesScreen() {
  const router = useRouter();
  const { filters, setFilters, clearFilters } = useUrlFilters();
  const list = useMessages(filters);
  const counts = useMessageCounts(filters);
  const searchRef = useRef<HTMLInputElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const messages = useMemo(() => list.data?.pages.flatMap((p) => p.items), [list.data]);
  const ids = useMemo(() => messages?.map((m) => m.id) ?? [], [messages]);
  const open = useCallback((id: string) => router.push(`/messages/${id}`), [router]);
  useListKeys({ ids, selectedId, select: setSelectedId, open, searchRef });

  const filtered = hasFilters(filters);
  let placeholder = null;
  if (list.isError && !list.data) {
    placeholder = (
      <div className="p-3">
        <ErrorPanel title="Could not load dead letters" error={list.error} onRetry={() => void list.refetch()}>
          {filtered && <button type="button" onClick={clearFilters} className="btn">Clear filters</button>}
        </ErrorPanel>
      </div>
    );
  } else if (messages && messages.length === 0) {
    placeholder = <ListEmptyState filtered={filtered} onClear={clearFilters} />;
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <h1 className="text-base font-semibold">Dead letters</h1>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          {filtered && counts.data && (
            <span className="text-xs text-muted" data-testid="matching-count">
              <strong className="font-semibold text-fg">{formatCount(counts.data.total)}{counts.data.capped ? '+' : ''}</strong> matching
            </span>
          )}
          <BulkJobLauncher filters={filters} />
        </div>
      </div>
      <FilterBar filters={filters} setFilters={setFilters} clearFilters={clearFilters} searchRef={searchRef} />
      {!list.isError && <CountChips counts={counts.data} error={counts.error} filters={filters} setFilters={setFilters} />}
      {list.isError && list.data && <StaleBanner error={list.error} updatedAt={list.dataUpdatedAt} onRetry={() => void list.refetch()} />}
      <MessagesTable messages={messages} selectedId={selectedId} onOpen={open} placeholder={placeholder} />
      {messages && messages.length > 0 && (
        <ListFooter
          loaded={messages.length}
          total={counts.data?.total}
          totalCapped={counts.data?.capped}
          hasMore={list.hasNextPage}
          isLoadingMore={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          updatedAt={list.dataUpdatedAt}
          isRefreshing={list.isRefetching && !list.isFetchingNextPage}
          isLive={isLiveRefresh(list.data?.pages.length ?? 0)}
        />
      )}
    </div>
  );
}
