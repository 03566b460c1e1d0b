'use client';

import type { TAuditFilters } from '../_lib/use-audit-events';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type TPreset = { label: string; title: string; patch: (from: string) => Partial<TAuditFilters>; ms: number };

// Time ranges replace from/to and keep the other filters; the last ones set an action or
// an outcome too, so "all replays by X last week" is a click on X and a click here.
const PRESETS: TPreset[] = [
  { label: 'Last 24 h', title: 'Events of the last 24 hours', ms: DAY, patch: (from) => ({ from, to: '' }) },
  { label: 'Last 7 days', title: 'Events of the last 7 days', ms: 7 * DAY, patch: (from) => ({ from, to: '' }) },
  { label: 'Last 30 days', title: 'Events of the last 30 days', ms: 30 * DAY, patch: (from) => ({ from, to: '' }) },
  { label: 'Replays · last 7 days', title: 'Replays requested in the last 7 days (keeps the actor and the other filters)', ms: 7 * DAY, patch: (from) => ({ action: 'replays', from, to: '' }) },
  { label: 'Failures · last 24 h', title: 'Failed events of the last 24 hours', ms: DAY, patch: (from) => ({ outcome: 'failed', from, to: '' }) },
];

/** One-click ranges and common questions; the time is taken when clicked, so the URL says exactly which window was read. */
export function AuditQuickFilters({ setFilters, disabled }: { setFilters: (patch: Partial<TAuditFilters>) => void; disabled: boolean }) {
  return (
    <div role="group" aria-label="Quick filters" className="flex flex-wrap items-center gap-1">
      <span className="mr-0.5 text-xs text-muted">Quick</span>
      {PRESETS.map((p) => (
        <button
          key={p.label}
          type="button"
          title={p.title}
          disabled={disabled}
          onClick={() => setFilters(p.patch(new Date(Date.now() - p.ms).toISOString()))}
          className="inline-flex h-6 cursor-pointer items-center rounded-full border border-line bg-panel px-2 text-xs text-fg hover:bg-sunken disabled:cursor-not-allowed disabled:opacity-60"
        >
          {p.label}
        </button>
      ))}
    </div>
  );
}
