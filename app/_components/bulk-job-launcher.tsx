'use client';

import { useId, useState } from 'react';
import type { TFilters } from '../_lib/message-filters';
import { canDo, useMe } from '../_lib/use-me';
import { activeFilters, JOB_ACTIONS, JOB_PERMISSION, type TJobAction } from '../_lib/use-jobs';
import { JobLaunchDialog } from './job-launch-dialog';

const BUTTONS: Record<TJobAction, { label: string; tone: string }> = {
  replay: { label: 'Replay all…', tone: '' },
  redirect: { label: 'Redirect all…', tone: '' },
  discard: { label: 'Discard all…', tone: 'text-red-800 dark:text-red-300' },
};

/**
 * "Replay all…", "Redirect all…", "Discard all…" for every message matching the filters,
 * as a bulk job: options, a dry run with the exact count, then the job. Only the actions
 * the operator's role permits are offered, and only when at least one filter is set, so
 * nobody acts on the whole database by accident.
 */
export function BulkJobLauncher({ filters }: { filters: Partial<TFilters> }) {
  const me = useMe();
  const [open, setOpen] = useState<TJobAction | null>(null);
  const hintId = useId();
  const allowed = JOB_ACTIONS.filter((action) => canDo(me.data, JOB_PERMISSION[action]));
  if (allowed.length === 0) return null;
  const selected = activeFilters(filters);
  const filtered = Object.keys(selected).length > 0;

  return (
    <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Bulk actions">
      {allowed.map((action) => (
        <button
          key={action}
          type="button"
          disabled={!filtered}
          onClick={() => setOpen(action)}
          className={`btn h-7 px-2 text-xs ${BUTTONS[action].tone}`}
          aria-describedby={filtered ? undefined : hintId}
        >
          {BUTTONS[action].label}
        </button>
      ))}
      {!filtered && (
        <span id={hintId} className="text-xs text-muted">
          Set at least one filter to act on all matching messages: bulk actions never run on the whole list.
        </span>
      )}
      {open && <JobLaunchDialog action={open} filters={selected} onClose={() => setOpen(null)} />}
    </div>
  );
}
