'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatCount, formatDateTime, formatRelative } from '../_lib/format';
import { canDo, useMe } from '../_lib/use-me';
import { useNow } from '../_lib/use-now';
import { useProtectSource, useRemoveSource, useUpdateSource } from '../_lib/use-source-changes';
import { useSources } from '../_lib/use-sources';
import type { TSourceSummary } from '@/lib/sources/list-sources';
import { ConfirmButton } from './confirm-button';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { SkeletonRows } from './skeleton-rows';
import { EmptyPanel } from './empty-panel';
import { SourceForm } from './source-form';

const COLUMNS = ['Queue', 'Waiting', 'Stored', 'Unresolved', 'Last ingested', 'Status', 'New messages'];
const NUMERIC = new Set(['Waiting', 'Stored', 'Unresolved']);
const th = 'px-2 py-1.5 text-left font-medium whitespace-nowrap';
const td = 'px-2 py-1.5 align-top';

/** The sources, and for sources:manage the controls to add, protect and remove them. */
export function SourcesTable() {
  const me = useMe();
  const canManage = canDo(me.data, 'sources:manage');
  const protect = useProtectSource();
  const remove = useRemoveSource();
  const update = useUpdateSource();
  const [status, setStatus] = useState('');
  const failed = protect.isError ? protect.error : remove.isError ? remove.error : update.isError ? update.error : null;
  return (
    <div className="space-y-3">
      <p role="status" className="text-xs text-green-800 empty:hidden dark:text-green-300">{status}</p>
      <SourceList
        canManage={canManage}
        pending={(queue) => (protect.isPending && protect.variables?.queue === queue) || (remove.isPending && remove.variables === queue) || (update.isPending && update.variables?.queue === queue)}
        onProtect={(queue, on) => {
          setStatus('');
          protect.mutate({ queue, protect: on }, { onSuccess: () => setStatus(on ? `Protected ${queue}: actions on its messages need a second person.` : `${queue} is no longer protected.`) });
        }}
        onUpdate={(queue, changes) => {
          setStatus('');
          update.mutate({ queue, changes }, { onSuccess: () => setStatus(describeUpdate(queue, changes)) });
        }}
        onRemove={(queue) => {
          setStatus('');
          remove.mutate(queue, { onSuccess: () => setStatus(`Removed source ${queue}; its stored messages stay.`) });
        }}
      />
      {failed && <FormError error={failed} />}
      {canManage && <SourceForm onDone={setStatus} />}
    </div>
  );
}

type TListProps = {
  canManage: boolean;
  pending: (queue: string) => boolean;
  onProtect: (queue: string, on: boolean) => void;
  onUpdate: (queue: string, changes: TRoutingChanges) => void;
  onRemove: (queue: string) => void;
};

type TRoutingChanges = { autoRedirect?: boolean; unmatchedToAllTeams?: boolean };

function describeUpdate(queue: string, changes: TRoutingChanges): string {
  if (changes.autoRedirect !== undefined) {
    return changes.autoRedirect ? `${queue}: new messages go to the team an ownership rule names.` : `${queue}: new messages are only tagged with their owner, not redirected.`;
  }
  return changes.unmatchedToAllTeams ? `${queue}: new messages no rule matches go to every team.` : `${queue}: new messages no rule matches stay here.`;
}

function SourceList({ canManage, pending, onProtect, onUpdate, onRemove }: TListProps) {
  const sources = useSources();
  const now = useNow();
  const columns = canManage ? [...COLUMNS, 'Actions'] : COLUMNS;
  if (sources.isError) return <ErrorPanel title="Could not load sources" error={sources.error} onRetry={() => void sources.refetch()} />;
  if (sources.data?.length === 0) {
    return (
      <EmptyPanel title="No sources configured">The worker consumes nothing until a dead-letter queue is added as a source (see below).</EmptyPanel>
    );
  }
  return (
    <div className="overflow-x-auto rounded-md border border-line bg-panel">
      <table aria-label="Sources" aria-busy={sources.isPending} className="w-full border-collapse text-[13px]">
        <thead>
          <tr className="border-b border-line bg-sunken text-xs text-muted">
            {columns.map((c) => (
              <th key={c} scope="col" className={`${th} ${NUMERIC.has(c) ? 'text-right' : ''}`}>{c === 'Actions' ? <span className="sr-only">Actions</span> : c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {!sources.data && <SkeletonRows rows={3} columns={columns.length} />}
          {sources.data?.map((s) => (
            <tr key={s.queue} className="border-b border-line last:border-b-0">
              <th scope="row" id={`source-${s.queue}`} className={`${td} text-left font-mono text-[12.5px] font-normal`}>
                <Link href={`/messages?source=${encodeURIComponent(s.queue)}`} className="text-accent hover:underline" title="Show its dead letters">{s.queue}</Link>
                {s.protected && (
                  <span title="Replays, redirects and discards of its messages need a second person's approval" className="ml-1.5 rounded border border-amber-400 px-1 font-sans text-[11px] text-amber-800 dark:border-amber-700 dark:text-amber-300">
                    protected
                  </span>
                )}
              </th>
              <td className={`${td} text-right tabular-nums`} title="Messages in the queue on the broker, not yet stored">
                {s.broker.state === 'ok' ? formatCount(s.broker.messages) : <span className="text-muted">–</span>}
              </td>
              <td className={`${td} text-right tabular-nums`}>{formatCount(s.stored)}</td>
              <td className={`${td} text-right tabular-nums`}>{formatCount(s.unresolved)}</td>
              <td className={`${td} whitespace-nowrap`} title={s.lastIngestedAt ? formatDateTime(s.lastIngestedAt) : undefined}>
                {s.lastIngestedAt ? formatRelative(s.lastIngestedAt, now) : <span className="text-muted">never</span>}
              </td>
              <td className={td}>
                <SourceStatus source={s} />
              </td>
              <td className={`${td} whitespace-nowrap`}>
                <NewMessages source={s} canManage={canManage} pending={pending(s.queue)} onUpdate={(changes) => onUpdate(s.queue, changes)} />
              </td>
              {canManage && (
                <td className={`${td} w-0 text-right whitespace-nowrap`}>
                  <span className="inline-flex items-center gap-1.5">
                    {s.protected ? (
                      <ConfirmButton
                        key="unprotect"
                        label="Unprotect"
                        question={`Let ${s.queue}'s messages be acted on without a second person?`}
                        describedBy={`source-${s.queue}`}
                        isPending={pending(s.queue)}
                        onConfirm={() => onProtect(s.queue, false)}
                      />
                    ) : (
                      <button type="button" disabled={pending(s.queue)} onClick={() => onProtect(s.queue, true)} aria-describedby={`source-${s.queue}`} className="btn h-7 px-2 text-xs">Protect</button>
                    )}
                    <ConfirmButton
                      label="Remove"
                      question={`Stop consuming ${s.queue}? Its stored messages stay.`}
                      describedBy={`source-${s.queue}`}
                      isPending={pending(s.queue)}
                      onConfirm={() => onRemove(s.queue)}
                    />
                  </span>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the worker does with a new message once an ownership rule has named its team (or none has). */
function NewMessages({ source: s, canManage, pending, onUpdate }: { source: TSourceSummary; canManage: boolean; pending: boolean; onUpdate: (changes: TRoutingChanges) => void }) {
  if (!canManage) {
    if (!s.autoRedirect) return <span className="text-muted">tagged only</span>;
    return (
      <span>
        auto-redirect
        {s.unmatchedToAllTeams && <span className="mt-0.5 block text-[12px] text-muted">unmatched to every team</span>}
      </span>
    );
  }
  return (
    <span className="flex flex-col gap-0.5 text-[12.5px]">
      <label className="inline-flex items-center gap-1.5" title="Redirect a new message to the team its ownership rule names">
        <input type="checkbox" checked={s.autoRedirect} disabled={pending} onChange={(e) => onUpdate({ autoRedirect: e.target.checked })} aria-describedby={`source-${s.queue}`} />
        auto-redirect
      </label>
      <label className={`inline-flex items-center gap-1.5 ${s.autoRedirect ? '' : 'text-muted'}`} title="With auto-redirect: a new message no rule matches goes to every team">
        <input type="checkbox" checked={s.unmatchedToAllTeams} disabled={pending || !s.autoRedirect} onChange={(e) => onUpdate({ unmatchedToAllTeams: e.target.checked })} aria-describedby={`source-${s.queue}`} />
        unmatched to every team
      </label>
    </span>
  );
}

function SourceStatus({ source: s }: { source: TSourceSummary }) {
  if (s.broker.state === 'ok' && s.broker.consumers === 0 && !s.lastError) {
    return (
      <span className="text-amber-800 dark:text-amber-300">
        <span className="font-medium">no consumer</span>
        <span className="mt-0.5 block text-[12px]">Nothing is consuming this queue: is the worker running?</span>
      </span>
    );
  }
  if (s.broker.state === 'unknown' && !s.lastError) {
    return <span className="text-muted">broker unreachable: {s.broker.error}</span>;
  }
  return (
    <>
                {s.lastError ? (
                  <span className="text-red-700 dark:text-red-400">
                    <span className="font-medium">error</span>
                    {s.lastErrorAt && <span className="text-muted"> since {formatDateTime(s.lastErrorAt)}</span>}
                    <span className="mt-0.5 block font-mono text-[12px] break-all">{s.lastError}</span>
                  </span>
                ) : (
                  <span className="inline-flex items-center gap-1.5 text-green-800 dark:text-green-300">
                    <span aria-hidden className="size-1.5 rounded-full bg-green-600 dark:bg-green-400" />
                    consuming{s.broker.state === 'ok' && s.broker.consumers > 1 ? ` (${s.broker.consumers} consumers)` : ''}
                  </span>
                )}
    </>
  );
}
