'use client';

import Link from 'next/link';
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { errorMessage, isNotFound } from '../_lib/api-error';
import { formatCount, formatDateTime } from '../_lib/format';
import { shortActor } from '../_lib/timeline-sentence';
import {
  ACTION_VERBS,
  describeTarget,
  formatEta,
  formatRate,
  isMoving,
  secondsUntil,
  useJob,
  useJobControl,
  useJobItems,
  type TCanaryState,
  type TJob,
  type TJobControl,
} from '../_lib/use-jobs';
import { useNow } from '../_lib/use-now';
import { REASON_MAX } from './action-dialog';
import { ConfirmButton } from './confirm-button';
import { DetailSection } from './detail-section';
import { DetailSkeleton } from './detail-skeleton';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { JobProgressBar, JobStatusBadge } from './job-badges';
import { JobSelectionSummary } from './job-selection-summary';
import { SkeletonRows } from './skeleton-rows';
import { StaleBanner } from './stale-banner';

/** One bulk job: where it stands (live while it moves), why it stopped, what it was asked to do, and each message. */
export function JobDetailScreen({ id }: { id: string }) {
  const job = useJob(id);

  if (job.isError && !job.data) {
    return (
      <div className="space-y-3">
        <BackLink />
        {isNotFound(job.error) ? (
          <EmptyPanel title="No such job">It does not exist, or it acts on messages of teams you cannot see.</EmptyPanel>
        ) : (
          <ErrorPanel title="Could not load the job" error={job.error} onRetry={() => void job.refetch()} />
        )}
      </div>
    );
  }
  if (!job.data) {
    return (
      <div className="space-y-3">
        <BackLink />
        <DetailSkeleton />
      </div>
    );
  }
  const j = job.data;
  return (
    <div className="max-w-[1400px] space-y-3">
      <BackLink />
      {job.isError && <StaleBanner error={job.error} updatedAt={job.dataUpdatedAt} onRetry={() => void job.refetch()} />}
      <header data-testid="job-header" className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-base font-semibold">{ACTION_VERBS[j.kind]?.verb ?? j.kind} job</h1>
        <JobStatusBadge status={j.status} />
        <span className="font-mono text-xs text-muted">{j.id}</span>
      </header>
      {j.haltReason && (
        <div role="alert" data-testid="halt-reason" className="rounded-md border-2 border-red-400 bg-red-50 px-4 py-3 text-red-900 dark:border-red-700 dark:bg-red-950/70 dark:text-red-100">
          <p className="text-sm font-semibold">{j.status === 'failed' ? 'The job failed' : 'The job halted'}</p>
          <p className="mt-1 text-[13px] break-words">{j.haltReason}</p>
          <p className="mt-1.5 text-xs opacity-90">
            Messages not yet sent were not touched. Fix the cause, then {j.can.resume ? 'resume the job, or ' : ''}start a new job for them from the same filters.
          </p>
        </div>
      )}
      {j.status === 'awaiting_approval' && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100">
          <p className="font-semibold">Waiting for a second person’s approval</p>
          <p>Nothing runs until someone else with the same permission approves it.</p>
          {j.approval && (
            <p className="mt-1">
              <Link href={`/approvals?id=${encodeURIComponent(j.approval.id)}`} className="font-medium text-accent underline">Open the approval request</Link>
            </p>
          )}
        </div>
      )}
      {j.status === 'rejected' && j.approval && (
        <p className="rounded-md border border-line bg-sunken px-3 py-2 text-sm">
          The approval was refused, so the job never ran. <Link href={`/approvals?id=${encodeURIComponent(j.approval.id)}`} className="text-accent underline">See the request</Link>
        </p>
      )}
      {j.heldByOutbox && (
        <div role="status" data-testid="held-by-outbox" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100">
          <p className="font-semibold">Holding: the publisher is behind</p>
          <p>
            {j.heldByOutbox.due > j.heldByOutbox.limit ? `More than ${formatCount(j.heldByOutbox.limit)}` : formatCount(j.heldByOutbox.due)} messages
            wait to be published (RabbitMQ unreachable, or publishing slower than the rates asked for). The job sends nothing more
            until they are out, so the target queue never gets them as one burst; it goes on by itself.
          </p>
        </div>
      )}
      <Progress job={j} />
      <Canary job={j} />
      <Controls job={j} />
      <div className="grid items-start gap-3 lg:grid-cols-2">
        <Selection job={j} />
        <Options job={j} />
      </div>
      <Items job={j} />
    </div>
  );
}

function BackLink() {
  return <Link href="/jobs" className="text-sm text-accent hover:underline">← Jobs</Link>;
}

function Stat({ label, value, tone, testId }: { label: string; value: ReactNode; tone?: string; testId?: string }) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tone ?? ''}`} data-testid={testId}>{value}</dd>
    </div>
  );
}

function Progress({ job }: { job: TJob }) {
  const moving = isMoving(job.status);
  return (
    <DetailSection id="job-progress" title="Progress" aside={moving ? 'live, every second' : job.finishedAt ? `finished ${formatDateTime(job.finishedAt)}` : undefined}>
      <JobProgressBar job={job} size="lg" />
      {job.skipped > 0 && (
        <p className="mt-1.5 text-xs text-muted">
          Skipped: not sent because the job {job.status === 'cancelled' ? 'was cancelled' : job.status === 'halted' ? 'halted' : 'stopped'} first; those messages are as they were.
        </p>
      )}
      <dl className="mt-3 grid grid-cols-4 gap-3 sm:grid-cols-7">
        <Stat label="Total" value={formatCount(job.total)} testId="job-total" />
        <Stat label="Done" value={formatCount(job.done)} tone="text-green-800 dark:text-green-300" testId="job-done" />
        <Stat label="Failed" value={formatCount(job.failed)} tone={job.failed > 0 ? 'text-red-800 dark:text-red-300' : ''} testId="job-failed" />
        <Stat label="Skipped" value={formatCount(job.skipped)} tone={job.skipped > 0 ? '' : 'text-muted'} testId="job-skipped" />
        <Stat label="Remaining" value={formatCount(job.remaining)} testId="job-remaining" />
        <Stat
          label="Rate"
          value={moving ? <>{formatRate(job.observedRate)}<span className="ml-1 text-xs font-normal text-muted">of {formatRate(job.ratePerSecond)}</span></> : <>{formatRate(job.ratePerSecond)}<span className="ml-1 text-xs font-normal text-muted">set</span></>}
        />
        <Stat label="ETA" value={moving ? formatEta(job.etaSeconds) : '—'} />
      </dl>
    </DetailSection>
  );
}

function Canary({ job }: { job: TJob }) {
  const { canary } = job;
  const now = useNow(1_000);
  if (canary.state === 'none') return null;
  const left = secondsUntil(canary.until, now);
  const size = `${formatCount(canary.size)} ${canary.size === 1 ? 'message' : 'messages'}`;
  const styles: Record<Exclude<TCanaryState, 'none'>, string> = {
    pending: 'border-line bg-sunken',
    waiting: 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100',
    passed: 'border-green-300 bg-green-50 text-green-950 dark:border-green-800 dark:bg-green-950/50 dark:text-green-100',
    halted: 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200',
  };
  let text: ReactNode;
  if (canary.state === 'pending') text = <>Canary pending: the first {size} go alone, then the job waits {canary.waitSeconds}s before the rest.</>;
  else if (canary.state === 'waiting') {
    text = (
      <>
        Canary waiting: {size} sent; watching for any of them to die again until {canary.until ? formatDateTime(canary.until) : '—'}
        {left !== null && <> (<span className="font-semibold tabular-nums" data-testid="canary-countdown">{left}s</span> left)</>}.
      </>
    );
  } else if (canary.state === 'passed') text = <>Canary passed: none of the first {size} died again within {canary.waitSeconds}s.</>;
  else text = <>Canary halted: of the first {size}, at least one did not go through or died again, so the rest was not sent.</>;
  return (
    <div role="status" data-testid="canary" data-state={canary.state} className={`rounded-md border px-3 py-2 text-sm ${styles[canary.state]}`}>
      {text}
    </div>
  );
}

const CONTROL_LABELS: Record<TJobControl, string> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel job' };

function Controls({ job }: { job: TJob }) {
  const id = useId();
  const control = useJobControl(job.id);
  const [reason, setReason] = useState('');
  if (!job.can.pause && !job.can.resume && !job.can.cancel) return null;
  const run = (c: TJobControl) =>
    control.mutate({ control: c, reason: reason.trim() || undefined }, { onSuccess: () => setReason('') });
  return (
    <section aria-label="Control the job" className="flex flex-wrap items-end gap-2 [&>button]:mb-0.5 rounded-md border border-line bg-panel px-3 py-2">
      <div className="flex min-w-[16rem] flex-1 flex-col gap-0.5">
        <label htmlFor={`${id}-reason`} className="text-xs font-medium text-muted">Reason <span className="font-normal">(optional, kept in the audit record)</span></label>
        <input
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={REASON_MAX}
          autoComplete="off"
          placeholder="Why pause, resume or cancel"
          className="field"
          onKeyDown={(e) => {
            // Enter never pauses or cancels by accident.
            if (e.key === 'Enter') e.preventDefault();
          }}
        />
      </div>
      {job.can.pause && (
        <button type="button" className="btn h-7 px-2 text-xs" disabled={control.isPending} onClick={() => run('pause')}>{CONTROL_LABELS.pause}</button>
      )}
      {job.can.resume && (
        <button type="button" className="btn h-7 border-accent bg-accent px-2 text-xs text-white hover:opacity-90 dark:text-canvas" disabled={control.isPending} onClick={() => run('resume')}>
          {CONTROL_LABELS.resume}
        </button>
      )}
      {job.can.cancel && (
        <ConfirmButton
          label={CONTROL_LABELS.cancel}
          question="Cancel it? Messages not yet sent stay as they are."
          confirmLabel="Yes, cancel the job"
          pendingLabel="Cancelling…"
          isPending={control.isPending}
          onConfirm={() => run('cancel')}
        />
      )}
      {control.isError && (
        <p role="alert" className="basis-full text-[13px] text-red-800 dark:text-red-300">
          {control.variables ? `${CONTROL_LABELS[control.variables.control]} refused: ` : ''}
          {errorMessage(control.error)}
        </p>
      )}
    </section>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-0.5">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

function Selection({ job }: { job: TJob }) {
  return (
    <DetailSection id="job-selection" title="Selection">
      <dl className="text-[13px]">
        <Field label="Filters">{job.selection.filters ? <JobSelectionSummary filters={job.selection.filters} /> : 'Chosen messages'}</Field>
        <Field label="Messages">
          {formatCount(job.total)} <span className="text-muted">— those that matched when it was confirmed; later arrivals are not included</span>
        </Field>
        <Field label="Created by">{shortActor(job.createdBy)}</Field>
        <Field label="Created">{formatDateTime(job.createdAt)}</Field>
        <Field label="Started">{formatDateTime(job.startedAt)}</Field>
        <Field label="Finished">{formatDateTime(job.finishedAt)}</Field>
        <Field label="Reason">{job.reason ?? <span className="text-muted">–</span>}</Field>
      </dl>
    </DetailSection>
  );
}

function revisionLabel(revision: number | undefined): string {
  if (revision === undefined || revision === null) return 'Latest of each message';
  if (revision === 0) return 'Original as received';
  return `Revision ${revision}`;
}

function Options({ job }: { job: TJob }) {
  const { input } = job;
  return (
    <DetailSection id="job-options" title="Options">
      <dl className="text-[13px]">
        <Field label="Action">{ACTION_VERBS[job.kind]?.verb ?? job.kind}</Field>
        {job.kind === 'replay' && (
          <Field label="Send to">
            <span className="font-mono">{input.target ? describeTarget(input.target) : 'each message’s origin queue'}</span>
          </Field>
        )}
        {job.kind === 'redirect' && <Field label="Team">{input.allTeams ? 'All teams' : <span className="font-mono">{input.team ?? '—'}</span>}</Field>}
        {job.kind !== 'discard' && <Field label="Revision">{revisionLabel(input.revision)}</Field>}
        {job.kind !== 'discard' && (
          <Field label="JSON patch">
            {input.jsonPatch?.length ? (
              <pre className="max-h-40 overflow-auto rounded border border-line bg-sunken p-1.5 font-mono text-[12px]">{JSON.stringify(input.jsonPatch, null, 2)}</pre>
            ) : (
              <span className="text-muted">none</span>
            )}
          </Field>
        )}
        <Field label="Rate">{formatRate(job.ratePerSecond)}</Field>
        <Field label="Canary">
          {job.canary.size > 0 ? `${formatCount(job.canary.size)} ${job.canary.size === 1 ? 'message' : 'messages'} first, then wait ${job.canary.waitSeconds}s` : 'none'}
        </Field>
      </dl>
    </DetailSection>
  );
}

const TABS = [
  { state: 'failed', label: 'Failures' },
  { state: '', label: 'All' },
  { state: 'pending', label: 'Pending' },
  { state: 'done', label: 'Done' },
  { state: 'skipped', label: 'Skipped' },
] as const;

const ITEM_STATE_STYLES: Record<string, string> = {
  pending: 'text-muted',
  done: 'text-green-800 dark:text-green-300',
  failed: 'font-semibold text-red-800 dark:text-red-300',
  skipped: 'text-muted line-through decoration-1',
};

const td = 'px-2 py-1 align-top';

function Items({ job }: { job: TJob }) {
  const [picked, setPicked] = useState<string | null>(null);
  // Failures first when there are any; the operator's own choice wins once made.
  const state = picked ?? (job.failed > 0 ? 'failed' : '');
  const items = useJobItems(job.id, state, { live: isMoving(job.status) });
  // The job's own numbers refresh every second; when they move, the items are read again at once.
  const stamp = `${job.status}:${job.done}:${job.failed}:${job.skipped}`;
  const seen = useRef(stamp);
  const { refetch } = items;
  useEffect(() => {
    if (seen.current === stamp) return;
    seen.current = stamp;
    void refetch();
  }, [stamp, refetch]);
  const rows = useMemo(() => items.data?.pages.flatMap((p) => p.items) ?? [], [items.data]);
  const withErrors = rows.some((r) => r.error);

  return (
    <DetailSection id="job-items" title="Messages" aside={`${formatCount(job.total)} in the job, in the order they are sent`}>
      <div role="tablist" aria-label="Filter by state" className="mb-2 flex flex-wrap gap-1">
        {TABS.map((t) => (
          <button
            key={t.label}
            type="button"
            role="tab"
            aria-selected={state === t.state}
            onClick={() => setPicked(t.state)}
            className={`btn h-7 px-2 text-xs ${state === t.state ? 'border-accent bg-selected font-medium' : ''}`}
          >
            {t.label}
            {t.state === 'failed' && job.failed > 0 && <span className="ml-1 rounded bg-red-100 px-1 text-red-800 dark:bg-red-500/20 dark:text-red-300">{formatCount(job.failed)}</span>}
          </button>
        ))}
      </div>
      {items.isError && !items.data ? (
        <ErrorPanel title="Could not load the job’s messages" error={items.error} onRetry={() => void items.refetch()} />
      ) : items.data && rows.length === 0 ? (
        <p className="rounded border border-line bg-sunken px-3 py-4 text-center text-sm text-muted">
          {state === 'failed' ? 'No failures.' : state ? `No ${state} messages.` : 'No messages.'}
        </p>
      ) : (
        <div className="overflow-x-auto rounded border border-line">
          <table aria-label="Job messages" aria-busy={!items.data} className="w-full border-collapse text-[13px]">
            <thead>
              <tr className="border-b border-line bg-sunken text-left text-xs text-muted">
                <th scope="col" className="px-2 py-1 font-medium">#</th>
                <th scope="col" className="px-2 py-1 font-medium">Message</th>
                <th scope="col" className="px-2 py-1 font-medium">State</th>
                <th scope="col" className="px-2 py-1 font-medium">Canary</th>
                <th scope="col" className="px-2 py-1 font-medium">Processed</th>
                {withErrors && <th scope="col" className="px-2 py-1 font-medium">Error</th>}
              </tr>
            </thead>
            <tbody>
              {!items.data && <SkeletonRows rows={4} columns={5} />}
              {rows.map((item) => (
                <tr key={item.position} data-testid="job-item" data-state={item.state} className="border-b border-line last:border-b-0">
                  <td className={`${td} text-muted tabular-nums`}>{item.position + 1}</td>
                  <td className={`${td} font-mono`}>
                    <Link href={`/messages/${encodeURIComponent(item.messageId)}`} className="text-accent hover:underline">{item.messageId}</Link>
                  </td>
                  <td className={`${td} ${ITEM_STATE_STYLES[item.state] ?? ''}`}>{item.state}</td>
                  <td className={td}>{item.canary ? 'yes' : ''}</td>
                  <td className={`${td} whitespace-nowrap text-muted`}>{item.processedAt ? formatDateTime(item.processedAt) : '—'}</td>
                  {withErrors && <td className={`${td} text-red-800 dark:text-red-300 [overflow-wrap:anywhere]`}>{item.error ?? ''}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {items.hasNextPage && (
        <button type="button" className="btn mt-2 h-7 text-xs" disabled={items.isFetchingNextPage} onClick={() => void items.fetchNextPage()}>
          {items.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </DetailSection>
  );
}
