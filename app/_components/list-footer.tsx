import { formatCount } from '../_lib/format';

type TProps = {
  loaded: number;
  total: number | undefined;
  /** The total is a search's cap, not the whole count: shown as "10,000+". */
  totalCapped?: boolean;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
  updatedAt: number;
  isRefreshing: boolean;
  isLive: boolean;
};

const KEYS = [['/', 'search'], ['j/k', 'move'], ['enter', 'open']] as const;

export function ListFooter({ loaded, total, totalCapped = false, hasMore, isLoadingMore, onLoadMore, updatedAt, isRefreshing, isLive }: TProps) {
  const of = total !== undefined && (total >= loaded || totalCapped) ? ` of ${formatCount(total)}${totalCapped ? '+' : ''}` : '';
  return (
    <div className="flex flex-wrap items-center gap-3 py-2 text-xs text-muted">
      <span aria-live="polite" className="tabular-nums">
        {hasMore ? `Showing ${formatCount(loaded)}${of}` : `All ${formatCount(loaded)} loaded`}
      </span>
      {hasMore && (
        <button type="button" onClick={onLoadMore} disabled={isLoadingMore} className="btn h-7 text-xs">
          {isLoadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
      <span className="ml-auto" title={isLive ? 'The list refreshes every 10 seconds while this tab is visible' : 'Reload the page or change a filter to see new messages'}>
        {isRefreshing ? 'Refreshing…' : `Updated ${new Date(updatedAt).toLocaleTimeString()}`} ·{' '}
        {isLive ? 'auto-refresh 10s' : 'auto-refresh paused while many pages are loaded'}
      </span>
      <span>
        Keys:{' '}
        {KEYS.map(([key, what], i) => (
          <span key={key}>
            {i > 0 && ' · '}
            <kbd className="rounded border border-line bg-panel px-1 font-mono text-[11px] text-fg">{key}</kbd> {what}
          </span>
        ))}
      </span>
    </div>
  );
}
