'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { DASHBOARD_RANGES, type TDashboardRange } from '@/lib/dashboard/baseline';
import { DASHBOARD_BYS, type TDashboardBy } from '@/lib/dashboard/dashboard-dto';
import { useDashboard, useDashboardView } from '../_lib/use-dashboard';
import { useNow } from '../_lib/use-now';
import { DashboardChart } from './dashboard-chart';
import { DashboardSummary } from './dashboard-summary';
import { DASHBOARD_COLUMNS, DashboardRow } from './dashboard-table';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { SkeletonRows } from './skeleton-rows';
import { StaleBanner } from './stale-banner';
import { TextFilter } from './text-filter';

// The home page: is anything dead-lettering more than usual, what is waiting, and where.

const RANGE_LABELS: Record<TDashboardRange, string> = { '1h': '1 h', '24h': '24 h', '7d': '7 d' };
const BY_LABELS: Record<TDashboardBy, string> = { source: 'Per source', origin: 'Per origin' };
const KEYS = [['1 2 3', 'range'], ['s o', 'source / origin']] as const;

function Segmented<T extends string>({ label, options, value, labels, onChange }: {
  label: string; options: readonly T[]; value: T; labels: Record<T, string>; onChange: (v: T) => void;
}) {
  return (
    <div role="group" aria-label={label} className="inline-flex overflow-hidden rounded border border-line">
      {options.map((o) => (
        <button key={o} type="button" aria-pressed={o === value} onClick={() => onChange(o)}
          className={`h-8 px-3 text-sm ${o === value ? 'bg-selected font-semibold text-fg' : 'bg-panel text-muted hover:bg-sunken'} border-line not-first:border-l`}>
          {labels[o]}
        </button>
      ))}
    </div>
  );
}

function isTyping(target: EventTarget | null) {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function DashboardScreen() {
  const now = useNow(1_000);
  const { view, setView } = useDashboardView();
  const dashboard = useDashboard(view);
  const data = dashboard.data;

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
      const range = ({ '1': '1h', '2': '24h', '3': '7d' } as const)[e.key as '1' | '2' | '3'];
      if (range) setView({ range });
      else if (e.key === 's') setView({ by: 'source' });
      else if (e.key === 'o') setView({ by: 'origin' });
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  const filtered = view.source !== '' || view.origin !== '';
  const columns = [view.by === 'source' ? 'Source' : 'Origin', ...DASHBOARD_COLUMNS.slice(1)];
  let rows;
  if (dashboard.isError && !data) {
    rows = <tr><td colSpan={columns.length} className="p-3"><ErrorPanel title="Could not load the dashboard" error={dashboard.error} onRetry={() => void dashboard.refetch()} /></td></tr>;
  } else if (data && data.rows.length === 0) {
    rows = (
      <tr><td colSpan={columns.length} className="p-0">
        <EmptyPanel title={filtered ? 'Nothing matches this queue' : 'No dead letters in the last hour and nothing unresolved'}>
          {filtered ? <button type="button" className="btn mt-2" onClick={() => setView({ source: '', origin: '' })}>Clear the queue filter</button> : 'All quiet. Rows appear here as soon as a source dead-letters.'}
        </EmptyPanel>
      </td></tr>
    );
  } else if (data) {
    rows = data.rows.map((r) => <DashboardRow key={r.key} row={r} by={data.by} now={now} />);
  } else {
    rows = <SkeletonRows columns={columns.length} rows={5} />;
  }

  const updated = dashboard.dataUpdatedAt ? Math.max(0, Math.round((now - dashboard.dataUpdatedAt) / 1000)) : null;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h1 className="text-base font-semibold">Dashboard</h1>
        <p className="text-xs text-muted" aria-live="polite" data-testid="dashboard-updated">
          {updated === null ? 'Loading…' : `Updated ${updated}s ago${dashboard.isFetching ? ', refreshing…' : ''}`}
        </p>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <Segmented label="Time range" options={DASHBOARD_RANGES} value={view.range} labels={RANGE_LABELS} onChange={(range) => setView({ range })} />
          <Segmented label="Group rows" options={DASHBOARD_BYS} value={view.by} labels={BY_LABELS} onChange={(by) => setView({ by })} />
          <span className="hidden gap-2 text-[11px] text-muted lg:flex">
            {KEYS.map(([k, what]) => <span key={k}><kbd className="rounded border border-line px-1 font-mono">{k}</kbd> {what}</span>)}
          </span>
        </div>
      </div>

      {dashboard.isError && data && <StaleBanner error={dashboard.error} updatedAt={dashboard.dataUpdatedAt} onRetry={() => void dashboard.refetch()} />}

      {data?.summary.empty ? (
        <EmptyPanel title="Nothing to show yet: no source is configured and no dead letter is stored">
          Add the dead-letter queues to watch under <Link href="/sources" className="text-accent underline">Sources</Link>; the worker consumes them and
          the first dead letters appear here within seconds. Inflow history and baselines build up as the worker counts (a baseline needs a day).
        </EmptyPanel>
      ) : (
        <>
          {data ? <DashboardSummary summary={data.summary} now={now} /> : <div className="h-[70px] animate-pulse rounded-md bg-line/50" aria-hidden />}
          <div role="search" aria-label="Filter the dashboard" className="flex flex-wrap items-end gap-2">
            <TextFilter id="dashboard-source" label="Source queue" value={view.source} onCommit={(source) => setView({ source })} placeholder="exact name" className="w-60" />
            <TextFilter id="dashboard-origin" label="Origin queue" value={view.origin} onCommit={(origin) => setView({ origin })} placeholder="exact name" className="w-60" />
            {filtered && <button type="button" className="btn h-8 text-xs" onClick={() => setView({ source: '', origin: '' })}>Clear</button>}
            {data && (
              <p className="ml-auto text-xs text-muted" data-testid="dashboard-history">
                Baseline: median of the same hour on each of the previous 7 days
                {historyText(data.historyStart, data.countedFrom)}.
              </p>
            )}
          </div>
          {data ? <DashboardChart series={data.series} range={data.range} /> : <div className="h-64 animate-pulse rounded-md bg-line/50" aria-hidden />}
          <div className="overflow-x-auto rounded-md border border-line bg-panel">
            <table className="w-full text-sm" aria-label={`Dead letters ${BY_LABELS[view.by].toLowerCase()}`} data-testid="dashboard-table">
              <thead className="border-b border-line bg-sunken text-left text-xs text-muted">
                <tr>{columns.map((c, i) => <th key={c} scope="col" className={`px-2 py-1.5 font-medium whitespace-nowrap ${i >= 1 && i <= 5 ? 'text-right' : ''}`}>{c}</th>)}</tr>
              </thead>
              <tbody>{rows}</tbody>
            </table>
            {data && data.omittedRows > 0 && <p className="border-t border-line px-2 py-1.5 text-xs text-muted">{data.omittedRows} quieter rows not shown; filter by queue to see one.</p>}
          </div>
        </>
      )}
    </div>
  );
}

/** Where the baseline's days begin, and where the (backfilled, baseline-less) history bars do when earlier. */
function historyText(historyStart: string | null, countedFrom: string | null): string {
  const day = (iso: string) => new Date(iso).toLocaleDateString();
  const bars = countedFrom && (!historyStart || countedFrom < historyStart) ? `; history from ${day(countedFrom)} (counted after the fact, not in the baseline)` : '';
  return (historyStart ? `; baseline from ${day(historyStart)}` : '; no baseline history counted yet') + bars;
}
