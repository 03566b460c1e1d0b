'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import { formatCount, formatDateTime } from '../_lib/format';
import { shortActor } from '../_lib/timeline-sentence';
import { useListKeys } from '../_lib/use-list-keys';
import { ACTION_VERBS, formatEta, formatRate, isMoving, JOB_STATUSES, useJobs, type TJob, type TJobStatus } from '../_lib/use-jobs';
import { AdminTable } from './admin-table';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { JobProgressBar, JobStatusBadge } from './job-badges';
import { JobSelectionSummary } from './job-selection-summary';
import { StaleBanner } from './stale-banner';

const td = 'px-2 py-1.5 align-top';
const COLUMNS = ['Status', 'Action', 'Selection', 'Progress', 'Rate', 'ETA', 'Created by', 'Created'];
const STATUS_LABEL = (s: TJobStatus) => s.replace('_', ' ');

/**
 * Bulk jobs, newest first, live: every second while one moves, every ten otherwise. `j`/`k`
 * move through the rows, Enter opens one; the status filter lives in the URL.
 */
export function JobsScreen() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const statusParam = params.get('status') ?? '';
  const status = (JOB_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as TJobStatus) : '';
  const jobs = useJobs(status);
  const items = useMemo(() => jobs.data?.items ?? [], [jobs.data]);
  const ids = useMemo(() => items.map((j) => j.id), [items]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const noSearch = useRef<HTMLInputElement>(null);
  const open = useCallback((id: string) => router.push(`/jobs/${encodeURIComponent(id)}`), [router]);
  useListKeys({ ids, selectedId, select: setSelectedId, open, searchRef: noSearch, rowAttribute: 'data-job-id' });

  function setStatus(value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set('status', value);
    else next.delete('status');
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }

  const live = items.some((j) => isMoving(j.status));

  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-2">
        <h1 className="text-base font-semibold">Bulk jobs</h1>
        <label className="flex items-center gap-2 text-xs text-muted">
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)} className="field h-7 text-sm" aria-label="Status">
            <option value="">All</option>
            {JOB_STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABEL(s)}</option>)}
          </select>
        </label>
      </div>
      <p className="text-sm text-muted">
        A replay, redirect or discard of every message matching a filter, frozen to the messages that matched when it was confirmed, run by the worker at its set rate.
        Start one from the Messages or Groups page with “Replay all…”, “Redirect all…” or “Discard all…”.
      </p>
      {jobs.isError && jobs.data && <StaleBanner error={jobs.error} updatedAt={jobs.dataUpdatedAt} onRetry={() => void jobs.refetch()} />}
      {jobs.isError && !jobs.data ? (
        <ErrorPanel title="Could not load the bulk jobs" error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : jobs.data && items.length === 0 ? (
        <EmptyPanel title={status ? `No ${STATUS_LABEL(status)} jobs` : 'No bulk jobs yet'}>
          {status ? 'Choose another status, or All.' : 'Jobs started from the Messages or Groups page show up here with their progress.'}
        </EmptyPanel>
      ) : (
        <AdminTable label="Bulk jobs" columns={COLUMNS} loading={!jobs.data} skeletonRows={5}>
          {items.map((job) => (
            <JobRow key={job.id} job={job} selected={selectedId === job.id} onSelect={() => setSelectedId(job.id)} />
          ))}
        </AdminTable>
      )}
      {items.length > 0 && (
        <p className="text-xs text-muted" aria-live="off">
          {formatCount(items.length)} {items.length === 1 ? 'job' : 'jobs'} · {live ? 'live, every second' : 'refreshed every 10 seconds'} ·{' '}
          <kbd className="rounded border border-line bg-panel px-1 font-mono">j</kbd>/<kbd className="rounded border border-line bg-panel px-1 font-mono">k</kbd> move ·{' '}
          <kbd className="rounded border border-line bg-panel px-1 font-mono">Enter</kbd> open
        </p>
      )}
    </div>
  );
}

function JobRow({ job, selected, onSelect }: { job: TJob; selected: boolean; onSelect: () => void }) {
  const settled = job.done + job.failed;
  return (
    <tr data-job-id={job.id} onClick={onSelect} aria-selected={selected} className={`border-b border-line last:border-b-0 ${selected ? 'bg-selected' : ''}`}>
      <td className={td}>
        <JobStatusBadge status={job.status} />
        {job.heldByOutbox && <span className="ml-1.5 text-xs font-medium text-amber-800 dark:text-amber-300" title="The publisher is behind: the job waits until its messages are out">holding</span>}
      </td>
      <th scope="row" className={`${td} text-left font-medium`}>
        <Link href={`/jobs/${encodeURIComponent(job.id)}`} className="text-accent hover:underline">
          {ACTION_VERBS[job.kind]?.verb ?? job.kind}
        </Link>
        <div className="font-mono text-[11px] font-normal text-muted">{job.id.slice(0, 8)}</div>
      </th>
      <td className={`${td} max-w-[22rem]`}>
        {job.selection.filters ? <JobSelectionSummary filters={job.selection.filters} /> : <span className="text-xs text-muted">chosen messages</span>}
      </td>
      <td className={`${td} w-48 min-w-[10rem]`}>
        <JobProgressBar job={job} />
        <div className="mt-0.5 text-[11.5px] text-muted tabular-nums">
          {formatCount(settled)} / {formatCount(job.total)}
          {job.failed > 0 && <span className="ml-1 text-red-800 dark:text-red-300">({formatCount(job.failed)} failed)</span>}
          {job.skipped > 0 && <span className="ml-1">({formatCount(job.skipped)} skipped)</span>}
        </div>
      </td>
      <td className={`${td} whitespace-nowrap tabular-nums`}>
        {isMoving(job.status) ? (
          <>
            {formatRate(job.observedRate)}
            <span className="text-muted"> of {formatRate(job.ratePerSecond)}</span>
          </>
        ) : (
          <span className="text-muted">{formatRate(job.ratePerSecond)} set</span>
        )}
      </td>
      <td className={`${td} whitespace-nowrap tabular-nums`}>{isMoving(job.status) ? formatEta(job.etaSeconds) : '—'}</td>
      <td className={`${td} break-words`}>{shortActor(job.createdBy)}</td>
      <td className={`${td} whitespace-nowrap text-muted`}>{formatDateTime(job.createdAt)}</td>
    </tr>
  );
}
