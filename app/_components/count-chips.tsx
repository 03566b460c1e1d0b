'use client';

import type { TMessageCounts } from '@/lib/messages/message-dto';
import { errorMessage } from '../_lib/api-error';
import { formatCount } from '../_lib/format';
import type { TFilters } from '../_lib/message-filters';

type TProps = { counts: TMessageCounts | undefined; error: unknown; filters: TFilters; setFilters: (patch: Partial<TFilters>) => void };

type TChip = { value: string; count: number };

function ChipGroup({ label, chips, active, onPick, mono }: { label: string; chips: TChip[]; active: string; onPick: (v: string) => void; mono?: boolean }) {
  if (chips.length === 0) return null;
  return (
    // No accessible name on purpose: "Source"/"Reason" label the filter controls, and only them.
    <div data-chips={label.toLowerCase()} className="flex flex-wrap items-center gap-1">
      <span className="mr-0.5 text-xs text-muted">{label}</span>
      {chips.map(({ value, count }) => {
        const isActive = value === active;
        return (
          <button
            key={value}
            type="button"
            aria-pressed={isActive}
            title={isActive ? `Remove the ${label.toLowerCase()} filter` : `Show only ${value}`}
            aria-label={`${value}: ${formatCount(count)}`}
            onClick={() => onPick(isActive ? '' : value)}
            className={`inline-flex h-6 cursor-pointer items-center gap-1.5 rounded-full border px-2 text-xs ${
              isActive ? 'border-accent bg-selected text-fg' : 'border-line bg-panel text-fg hover:bg-sunken'
            }`}
          >
            <span className={mono ? 'font-mono' : ''}>{value}</span>
            <span className="tabular-nums text-muted">{formatCount(count)}</span>
          </button>
        );
      })}
    </div>
  );
}

/** Where the matching dead letters come from and why they died; a click narrows the list. */
export function CountChips({ counts, error, filters, setFilters }: TProps) {
  if (!counts && error) return <p className="h-6 text-xs text-muted">Counts unavailable: {errorMessage(error)}</p>;
  if (!counts) return <div className="h-6" aria-hidden />;
  return (
    <div className="flex flex-wrap items-center gap-x-5 gap-y-1">
      <span className="text-sm">
        <span className="font-semibold tabular-nums">{formatCount(counts.total)}{counts.capped && '+'}</span>
        <span className="text-muted"> {counts.total === 1 && !counts.capped ? 'dead letter' : 'dead letters'}</span>
        {counts.capped && (
          <span className="text-muted" title="A search resolves to its newest matches at most; the counts below are of those. Narrow the search to count all.">
            {' '}(newest {formatCount(counts.total)} counted)
          </span>
        )}
      </span>
      <ChipGroup
        label="Source"
        chips={counts.bySource.map((c) => ({ value: c.source, count: c.count }))}
        active={filters.source}
        onPick={(source) => setFilters({ source })}
        mono
      />
      <ChipGroup
        label="Reason"
        chips={counts.byReason.map((c) => ({ value: c.reason, count: c.count }))}
        active={filters.reason}
        onPick={(reason) => setFilters({ reason })}
      />
    </div>
  );
}
