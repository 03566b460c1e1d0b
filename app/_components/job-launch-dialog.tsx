'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../_lib/api-error';
import { formatCount } from '../_lib/format';
import type { TFilters } from '../_lib/message-filters';
import { describeDestination, useDestinations } from '../_lib/use-action-targets';
import {
  ACTION_VERBS,
  CANARY_MAX,
  CANARY_WAIT_MAX,
  confirmLabel,
  DEFAULT_RATE,
  describeTarget,
  parseJsonPatch,
  RATE_MAX,
  useCreateJob,
  useDryRun,
  type TDryRun,
  type TDryRunSample,
  type TJobAction,
  type TJobBody,
} from '../_lib/use-jobs';
import { useTeams } from '../_lib/use-teams';
import { REASON_MAX } from './action-dialog';
import { groundLabel } from './approval-badges';
import { JobDiffSample } from './job-diff-sample';
import { JobSelectionSummary } from './job-selection-summary';

type TTargetKind = 'origin' | 'queue' | 'exchange';
const ALL_TEAMS = 'all';

const DESCRIPTIONS: Record<TJobAction, string> = {
  replay: 'Publishes every matching message once more, at the rate you set, each waiting for the broker to confirm.',
  redirect: 'Hands every matching message to the team that owns it, with headers that say where it came from and why.',
  discard: 'Marks every matching message discarded; each can be restored from its page afterwards.',
};

function intIn(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** The total the server counts now, when it says so in a 409's details. */
function conflictCount(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.status !== 409 || typeof error.details !== 'object' || error.details === null) return null;
  const d = error.details as Record<string, unknown>;
  for (const key of ['total', 'actualCount', 'count', 'currentCount']) if (typeof d[key] === 'number') return d[key];
  return null;
}

/**
 * One bulk job, from options to a dry run to the job. A modal <dialog>: the browser traps
 * focus and makes the page inert, Escape closes it. Enter never submits: the dry run and the
 * confirmation are buttons pressed on purpose. Changing any option drops the dry run, so
 * what is confirmed is always what was previewed.
 */
export function JobLaunchDialog({ action, filters, onClose }: { action: TJobAction; filters: Partial<TFilters>; onClose: () => void }) {
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const dryRun = useDryRun();
  const create = useCreateJob();
  const destinations = useDestinations();
  const teams = useTeams();

  const [reason, setReason] = useState('');
  const [kind, setKind] = useState<TTargetKind>('origin');
  const [queue, setQueue] = useState('');
  const [exchange, setExchange] = useState('');
  const [routingKey, setRoutingKey] = useState('');
  const [revision, setRevision] = useState<'latest' | 'original'>('latest');
  const [team, setTeam] = useState('');
  const [patch, setPatch] = useState('');
  const [rate, setRate] = useState(String(DEFAULT_RATE));
  const [canaryOn, setCanaryOn] = useState(false);
  const [canarySize, setCanarySize] = useState('10');
  const [canaryWait, setCanaryWait] = useState('60');
  const [sent, setSent] = useState<{ jobId: string; approvalId: string; grounds: string[] } | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const verbs = ACTION_VERBS[action];
  const patchCheck = parseJsonPatch(patch);
  const rateValue = intIn(rate, 1, RATE_MAX);
  const sizeValue = intIn(canarySize, 1, CANARY_MAX);
  const waitValue = intIn(canaryWait, 1, CANARY_WAIT_MAX);
  const teamList = teams.data ?? [];
  const chosenTeam = teamList.find((t) => t.id === team);

  const targetReady =
    action === 'discard' ||
    (action === 'replay' && (kind === 'origin' || (kind === 'queue' && queue.trim() !== '') || (kind === 'exchange' && exchange.trim() !== ''))) ||
    (action === 'redirect' && (team === ALL_TEAMS || chosenTeam !== undefined));
  const optionsReady = targetReady && patchCheck.ok && rateValue !== null && (action === 'discard' || !canaryOn || (sizeValue !== null && waitValue !== null));

  function body(): TJobBody {
    const b: TJobBody = { action, selection: { filters }, ratePerSecond: rateValue ?? DEFAULT_RATE };
    if (reason.trim()) b.reason = reason.trim();
    if (action === 'replay') {
      if (kind === 'queue') b.target = { queue: queue.trim() };
      if (kind === 'exchange') b.target = { exchange: exchange.trim(), routingKey };
    }
    if (action === 'redirect') {
      if (team === ALL_TEAMS) b.allTeams = true;
      else if (chosenTeam) b.team = chosenTeam.name;
    }
    if (action !== 'discard') {
      if (patchCheck.ok && patchCheck.ops) b.jsonPatch = patchCheck.ops;
      else if (revision === 'original') b.revision = 0;
    }
    // Discarding publishes nothing, so there is nothing for a canary to watch.
    if (action !== 'discard' && canaryOn && sizeValue !== null && waitValue !== null) b.canary = { size: sizeValue, waitSeconds: waitValue };
    return b;
  }

  /** Any change of an option makes the dry run stale: drop it (and a refusal of the old options). */
  function change<T>(set: (value: T) => void) {
    return (value: T) => {
      set(value);
      dryRun.reset();
      create.reset();
    };
  }

  function runDryRun() {
    if (!optionsReady || dryRun.isPending) return;
    create.reset();
    dryRun.mutate(body());
  }

  function confirm(preview: TDryRun) {
    if (create.isPending || preview.total === 0) return;
    const b = body();
    b.selection = { filters, expectedCount: preview.total, ...(preview.maxId ? { maxId: preview.maxId } : {}) };
    create.mutate(b, {
      onSuccess: (answer) => {
        if (answer.approval) setSent({ jobId: answer.job.id, approvalId: answer.approval.id, grounds: answer.approval.grounds });
        else router.push(`/jobs/${encodeURIComponent(answer.job.id)}`);
      },
    });
  }

  function onKeyDown(event: KeyboardEvent) {
    // The page behind may react to Escape (leave a detail page); inside the dialog it only closes the dialog.
    if (event.key === 'Escape') event.stopPropagation();
    // Enter in a field never submits by accident: only the buttons act.
    if (event.key === 'Enter' && event.target instanceof HTMLInputElement) event.preventDefault();
  }

  const preview = dryRun.data;
  const changedTo = conflictCount(create.error);

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-description`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={onKeyDown}
      data-testid="job-launch-dialog"
      className="m-auto w-[min(56rem,calc(100vw-2rem))] rounded-lg border border-line bg-panel p-0 text-fg shadow-xl backdrop:bg-black/50"
    >
      <div className="flex max-h-[90vh] flex-col">
        <div className="border-b border-line px-4 py-3">
          <h2 id={`${id}-title`} className="text-base font-semibold">{verbs.verb} all matching messages</h2>
          <p id={`${id}-description`} className="mt-1 text-[13px] text-muted">{DESCRIPTIONS[action]}</p>
          <div className="mt-1.5 text-xs"><JobSelectionSummary filters={filters} /></div>
        </div>

        {sent ? (
          <>
            <div className="px-4 py-3">
              <div role="status" className="space-y-1.5 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100">
                <p className="font-semibold">Sent for approval — a second person must approve this job</p>
                <p>Nothing runs yet. Because of {sent.grounds.map(groundLabel).join(' and ') || 'the approval policy'}, someone else with the same permission must approve it; it then runs as you set it up.</p>
                <p className="flex flex-wrap gap-x-4">
                  <Link href={`/approvals?id=${encodeURIComponent(sent.approvalId)}`} className="font-medium text-accent underline">Follow the request on the Approvals page</Link>
                  <Link href={`/jobs/${encodeURIComponent(sent.jobId)}`} className="font-medium text-accent underline">Open the job</Link>
                </p>
              </div>
            </div>
            <div className="flex justify-end border-t border-line bg-sunken px-4 py-2.5">
              <button type="button" autoFocus onClick={onClose} className="btn">Close</button>
            </div>
          </>
        ) : (
          <>
            <div className="space-y-3 overflow-y-auto px-4 py-3">
              {action === 'replay' && (
                <fieldset className="space-y-1">
                  <legend className="mb-1 text-xs font-medium text-muted">Send to</legend>
                  <Radio id={`${id}-origin`} name={`${id}-target`} checked={kind === 'origin'} onChange={() => change(setKind)('origin')} label="Each message’s origin queue" hint="The queue each one died in, through the default exchange. Messages whose origin is unknown are reported as errors." />
                  <Radio id={`${id}-queue-kind`} name={`${id}-target`} checked={kind === 'queue'} onChange={() => change(setKind)('queue')} label="Another queue" />
                  {kind === 'queue' && (
                    <div className="ml-7 flex flex-col gap-1">
                      <label htmlFor={`${id}-queue`} className="text-xs font-medium text-muted">Queue</label>
                      <input id={`${id}-queue`} value={queue} onChange={(e) => change(setQueue)(e.target.value)} list={`${id}-queues`} autoComplete="off" spellCheck={false} className="field font-mono" />
                      <datalist id={`${id}-queues`}>{destinations.data?.queues.map((q) => <option key={q} value={q} />)}</datalist>
                    </div>
                  )}
                  <Radio id={`${id}-exchange-kind`} name={`${id}-target`} checked={kind === 'exchange'} onChange={() => change(setKind)('exchange')} label="Exchange and routing key" />
                  {kind === 'exchange' && (
                    <div className="ml-7 grid grid-cols-2 gap-2">
                      <div className="flex flex-col gap-1">
                        <label htmlFor={`${id}-exchange`} className="text-xs font-medium text-muted">Exchange</label>
                        <input id={`${id}-exchange`} value={exchange} onChange={(e) => change(setExchange)(e.target.value)} list={`${id}-exchanges`} autoComplete="off" spellCheck={false} className="field font-mono" />
                        <datalist id={`${id}-exchanges`}>{destinations.data?.exchanges.map((x) => <option key={x} value={x} />)}</datalist>
                      </div>
                      <div className="flex flex-col gap-1">
                        <label htmlFor={`${id}-routing-key`} className="text-xs font-medium text-muted">Routing key</label>
                        <input id={`${id}-routing-key`} value={routingKey} onChange={(e) => change(setRoutingKey)(e.target.value)} autoComplete="off" spellCheck={false} className="field font-mono" />
                      </div>
                    </div>
                  )}
                </fieldset>
              )}

              {action === 'redirect' && (
                <div className="flex flex-col gap-1">
                  <label htmlFor={`${id}-team`} className="text-xs font-medium text-muted">Team</label>
                  {teams.isPending && <p className="text-sm text-muted">Loading teams…</p>}
                  {teams.isError && <p role="alert" className="text-sm text-red-800 dark:text-red-300">Could not load the teams: {errorMessage(teams.error)}</p>}
                  {teams.isSuccess && teamList.length === 0 && (
                    <p className="rounded border border-line bg-sunken px-3 py-2 text-sm">
                      No teams are set up yet, so there is nowhere to redirect to. An admin adds teams on the <Link href="/teams" className="text-accent underline">Teams</Link> page.
                    </p>
                  )}
                  {teamList.length > 0 && (
                    <select id={`${id}-team`} value={team} onChange={(e) => change(setTeam)(e.target.value)} className="field">
                      <option value="" disabled>Choose a team…</option>
                      {teamList.map((t) => <option key={t.id} value={t.id}>{t.name} — {describeDestination(t)}</option>)}
                      <option value={ALL_TEAMS}>All teams ({teamList.length})</option>
                    </select>
                  )}
                </div>
              )}

              {action !== 'discard' && (
                <div className="grid gap-3 sm:grid-cols-[12rem_1fr]">
                  <div className="flex flex-col gap-1">
                    <label htmlFor={`${id}-revision`} className="text-xs font-medium text-muted">Revision</label>
                    <select
                      id={`${id}-revision`}
                      value={patch.trim() ? 'latest' : revision}
                      disabled={patch.trim() !== ''}
                      aria-describedby={`${id}-revision-hint`}
                      onChange={(e) => change(setRevision)(e.target.value as 'latest' | 'original')}
                      className="field"
                    >
                      <option value="latest">Latest of each message</option>
                      <option value="original">Original as received</option>
                    </select>
                    {patch.trim() !== '' && <p id={`${id}-revision-hint`} className="text-xs text-muted">A patch applies to each message’s latest body.</p>}
                  </div>
                  <div className="flex flex-col gap-1">
                    <label htmlFor={`${id}-patch`} className="text-xs font-medium text-muted">
                      JSON patch <span className="font-normal">(optional, RFC 6902, applied to each JSON body)</span>
                    </label>
                    <textarea
                      id={`${id}-patch`}
                      value={patch}
                      onChange={(e) => change(setPatch)(e.target.value)}
                      rows={3}
                      spellCheck={false}
                      aria-invalid={!patchCheck.ok}
                      aria-describedby={`${id}-patch-hint`}
                      placeholder='[{ "op": "replace", "path": "/currency", "value": "EUR" }]'
                      className="rounded border border-line bg-panel px-2 py-1.5 font-mono text-[12.5px] placeholder:text-muted/70 aria-[invalid=true]:border-red-600"
                    />
                    <p id={`${id}-patch-hint`} className={`text-xs ${patchCheck.ok ? 'text-muted' : 'text-red-800 dark:text-red-300'}`} role={patchCheck.ok ? undefined : 'alert'}>
                      {patchCheck.ok ? 'Each message whose body the patch cannot apply to is reported in the dry run and skipped by the job.' : patchCheck.error}
                    </p>
                  </div>
                </div>
              )}

              <div className="flex flex-wrap items-end gap-x-5 gap-y-2">
                <NumberField id={`${id}-rate`} label="Rate (messages per second)" value={rate} onChange={change(setRate)} invalid={rateValue === null} hint={`1 to ${formatCount(RATE_MAX)}`} />
                {action !== 'discard' && (
                  <>
                    <div className="flex flex-col gap-0.5">
                      <span className="text-xs font-medium text-muted">Canary</span>
                      <div className="flex h-8 items-center gap-2">
                        <input id={`${id}-canary`} type="checkbox" checked={canaryOn} onChange={(e) => change(setCanaryOn)(e.target.checked)} />
                        <label htmlFor={`${id}-canary`} className="text-sm">Canary first</label>
                      </div>
                      <span className="text-[11px] text-muted">a few alone, then watch</span>
                    </div>
                    {canaryOn && (
                      <>
                        <NumberField id={`${id}-canary-size`} label="Canary size" value={canarySize} onChange={change(setCanarySize)} invalid={sizeValue === null} hint={`1 to ${formatCount(CANARY_MAX)} messages`} />
                        <NumberField id={`${id}-canary-wait`} label="Then wait (seconds)" value={canaryWait} onChange={change(setCanaryWait)} invalid={waitValue === null} hint={`1 to ${formatCount(CANARY_WAIT_MAX)}`} />
                      </>
                    )}
                  </>
                )}
              </div>
              {canaryOn && action !== 'discard' && (
                <p className="text-xs text-muted">
                  The first messages go alone; the job then waits. If any of them dies again in the meantime, the job halts and says why; otherwise it runs the rest.
                </p>
              )}

              <div className="flex flex-col gap-1">
                <label htmlFor={`${id}-reason`} className="text-xs font-medium text-muted">
                  Reason <span className="font-normal">(optional, kept in the audit record of the job and of each message)</span>
                </label>
                <textarea
                  id={`${id}-reason`}
                  value={reason}
                  onChange={(e) => change(setReason)(e.target.value)}
                  maxLength={REASON_MAX}
                  rows={2}
                  placeholder="Why: ticket, incident, what was fixed"
                  className="rounded border border-line bg-panel px-2 py-1.5 text-sm placeholder:text-muted/70"
                />
              </div>

              {dryRun.isError && <Refusal title="The dry run was refused" error={dryRun.error} />}
              {preview && <DryRunResult action={action} preview={preview} />}
              {create.isError && (
                <Refusal title={changedTo !== null || (create.error instanceof ApiError && create.error.status === 409) ? 'The selection changed since the dry run' : 'The job was refused'} error={create.error}>
                  {create.error instanceof ApiError && create.error.status === 409 && (
                    <p className="mt-1">
                      {changedTo !== null && <>{formatCount(changedTo)} {changedTo === 1 ? 'message matches' : 'messages match'} now. </>}
                      Run the dry run again to see what a job would do now.{' '}
                      <button type="button" onClick={runDryRun} className="font-medium underline">Dry run again</button>
                    </p>
                  )}
                </Refusal>
              )}
            </div>
            <div className="flex flex-wrap items-center justify-end gap-2 border-t border-line bg-sunken px-4 py-2.5">
              <span className="mr-auto text-[11px] text-muted">
                <kbd className="rounded border border-line bg-panel px-1 font-mono">Esc</kbd> cancel · nothing happens before you confirm the count
              </span>
              <button type="button" onClick={onClose} className="btn">Cancel</button>
              <button type="button" onClick={runDryRun} disabled={!optionsReady || dryRun.isPending} className={`btn ${preview ? '' : 'border-accent bg-accent text-white hover:opacity-90 dark:text-canvas'}`}>
                {preview ? 'Dry run again' : 'Dry run'}
                {dryRun.isPending && <Spinner />}
              </button>
              {preview && (
                <button
                  type="button"
                  onClick={() => confirm(preview)}
                  disabled={create.isPending || preview.total === 0}
                  className={`btn ${action === 'discard' ? 'border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-600 dark:bg-red-700' : 'border-accent bg-accent text-white hover:opacity-90 dark:text-canvas'}`}
                >
                  {confirmLabel(action, preview.total)}
                  {create.isPending && <Spinner />}
                </button>
              )}
            </div>
          </>
        )}
      </div>
    </dialog>
  );
}

function Spinner() {
  return <span aria-hidden className="ml-1 inline-block size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />;
}

function Radio({ id, name, checked, onChange, label, hint }: { id: string; name: string; checked: boolean; onChange: () => void; label: string; hint?: string }) {
  return (
    <div className="flex items-start gap-2 rounded px-1 py-1">
      <input id={id} type="radio" name={name} checked={checked} onChange={onChange} aria-describedby={hint ? `${id}-hint` : undefined} className="mt-1" />
      <div>
        <label htmlFor={id} className="text-sm">{label}</label>
        {hint && <p id={`${id}-hint`} className="text-xs text-muted">{hint}</p>}
      </div>
    </div>
  );
}

function NumberField({ id, label, value, onChange, invalid, hint }: { id: string; label: string; value: string; onChange: (v: string) => void; invalid: boolean; hint: string }) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-xs font-medium text-muted">{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid}
        aria-describedby={`${id}-hint`}
        className="field w-32 font-mono aria-[invalid=true]:border-red-600"
      />
      <span id={`${id}-hint`} className={`text-[11px] ${invalid ? 'text-red-800 dark:text-red-300' : 'text-muted'}`}>{hint}</span>
    </div>
  );
}

function Refusal({ title, error, children }: { title: string; error: unknown; children?: ReactNode }) {
  const api = error instanceof ApiError ? error : null;
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-[13px] text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
      <p className="font-semibold">
        {title}
        {api && api.status > 0 && <span className="ml-2 font-mono text-xs font-normal opacity-80">{api.status} {api.code}</span>}
      </p>
      <p className="mt-1 break-words">{errorMessage(error)}</p>
      {children}
    </div>
  );
}

function DryRunResult({ action, preview }: { action: TJobAction; preview: TDryRun }) {
  const verbs = ACTION_VERBS[action];
  const ref = useRef<HTMLElement>(null);
  // The options are above; what the dry run found is what to read now.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start', behavior: 'instant' });
  }, [preview]);
  const withDiff = preview.sample.find((s) => s.diff !== undefined);
  const withErrors = preview.sample.some((s) => s.error);
  // The error samples cover every message checked, not only the first 20 shown.
  const shown = new Set(preview.sample.map((s) => s.messageId));
  const moreErrors = (preview.errorSamples ?? []).filter((e) => !shown.has(e.messageId));
  return (
    <section ref={ref} aria-label="Dry run" data-testid="dry-run" className="space-y-2 rounded border border-line bg-sunken px-3 py-2.5">
      <p className="text-sm" role="status">
        {preview.total === 0 ? (
          <>No messages match now: there is nothing to {verbs.noun}.</>
        ) : (
          <>
            This will {verbs.noun} exactly <strong data-testid="dry-run-total">{formatCount(preview.total)}</strong> {preview.total === 1 ? 'message that matches' : 'messages that match'} now; messages that arrive later are not included.
          </>
        )}
      </p>
      {preview.needsApproval ? (
        <p className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-[13px] text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100">
          Needs a second person’s approval because of {preview.grounds.map(groundLabel).join(' and ') || 'the approval policy'}: confirming sends the job for approval, and it runs once approved.
        </p>
      ) : (
        preview.total > 0 && <p className="text-[13px] text-muted">No approval needed: confirming starts the job.</p>
      )}
      {preview.errors > 0 && (
        <p className="text-[13px] font-medium text-red-800 dark:text-red-300">
          {formatCount(preview.errors)} {preview.errors === 1 ? 'message' : 'messages'} cannot be {verbs.past} as set up (see the errors below); the job would count {preview.errors === 1 ? 'it' : 'them'} as failed.
        </p>
      )}
      {preview.sample.length > 0 && (
        <div className="overflow-x-auto rounded border border-line bg-panel">
          <table className="w-full border-collapse text-[12.5px]" aria-label={`First ${preview.sample.length} messages`}>
            <caption className="px-2 py-1 text-left text-xs text-muted">
              The first {preview.sample.length} of {formatCount(preview.total)}
            </caption>
            <thead>
              <tr className="border-y border-line bg-sunken text-left text-xs text-muted">
                <th scope="col" className="px-2 py-1 font-medium">Message</th>
                {action !== 'discard' && <th scope="col" className="px-2 py-1 font-medium">Target</th>}
                {action !== 'discard' && <th scope="col" className="px-2 py-1 font-medium">Revision</th>}
                {action !== 'discard' && <th scope="col" className="px-2 py-1 font-medium">Headers added</th>}
                {withErrors && <th scope="col" className="px-2 py-1 font-medium">Error</th>}
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((s) => <SampleRow key={s.messageId} action={action} sample={s} withError={withErrors} />)}
            </tbody>
          </table>
        </div>
      )}
      {moreErrors.length > 0 && (
        <div>
          <p className="text-xs font-medium text-muted">More messages that cannot be {verbs.past}</p>
          <ul className="mt-0.5 space-y-0.5 text-[12.5px]" aria-label="Errors">
            {moreErrors.map((e) => (
              <li key={e.messageId}>
                <Link href={`/messages/${encodeURIComponent(e.messageId)}`} target="_blank" rel="noreferrer" className="font-mono text-accent hover:underline">{e.messageId}</Link>
                <span className="text-red-800 dark:text-red-300">: {e.error}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {withDiff?.diff && <JobDiffSample messageId={withDiff.messageId} diff={withDiff.diff} />}
    </section>
  );
}

function SampleRow({ action, sample, withError }: { action: TJobAction; sample: TDryRunSample; withError: boolean }) {
  const headers = Object.entries(sample.headersAdded ?? {});
  return (
    <tr className="border-b border-line align-top last:border-b-0" data-testid="dry-run-row">
      <td className="px-2 py-1 font-mono whitespace-nowrap">
        <Link href={`/messages/${encodeURIComponent(sample.messageId)}`} target="_blank" rel="noreferrer" className="text-accent hover:underline">
          {sample.messageId}
        </Link>
      </td>
      {action !== 'discard' && <td className="px-2 py-1 font-mono [overflow-wrap:anywhere]">{describeTarget(sample.target)}</td>}
      {action !== 'discard' && <td className="px-2 py-1 font-mono">{sample.revision}</td>}
      {action !== 'discard' && (
        <td className="px-2 py-1 font-mono text-[11.5px]">
          {headers.length === 0 ? <span className="text-muted">none</span> : (
            <ul>{headers.map(([k, v]) => <li key={k} className="[overflow-wrap:anywhere]"><span className="text-muted">{k}:</span> {v}</li>)}</ul>
          )}
        </td>
      )}
      {withError && <td className="px-2 py-1 text-red-800 dark:text-red-300 [overflow-wrap:anywhere]">{sample.error ?? ''}</td>}
    </tr>
  );
}
