'use client';

import { useState } from 'react';
import type { TPurgeSummary } from '@/lib/retention/list-retention-policies';
import { MAX_RETENTION_DAYS, RETAINABLE_STATUSES, type TRetainableStatus, type TRetentionPolicy } from '@/lib/retention/retention-policy-dto';
import { formatCount, formatDateTime } from '../_lib/format';
import { canDo, useMe } from '../_lib/use-me';
import { useRetention, useSaveRetentionPolicy, type TPolicyChange } from '../_lib/use-retention';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { SkeletonRows } from './skeleton-rows';

const th = 'px-2 py-1.5 text-left font-medium whitespace-nowrap';
const td = 'px-2 py-1.5 align-middle';
const FOREVER = 'forever';

/** What a cell holds as typed: '' (no policy), a number of days, or "forever" (a source keeping what '*' would purge). */
type TCell = string;

function cellOf(policy: TRetentionPolicy | undefined): TCell {
  if (!policy) return '';
  return policy.days === null ? FOREVER : String(policy.days);
}

function cellProblem(value: TCell): string | null {
  const v = value.trim().toLowerCase();
  if (v === '' || v === FOREVER) return null;
  if (!/^\d+$/.test(v)) return 'a whole number of days, or "forever"';
  const n = Number(v);
  if (n < 1 || n > MAX_RETENTION_DAYS) return `1 to ${MAX_RETENTION_DAYS} days`;
  return null;
}

/** How long messages are kept, per source and status; admins change it, auditors read it. */
export function RetentionScreen() {
  const me = useMe();
  const canManage = canDo(me.data, 'settings:manage');
  const retention = useRetention();
  const [status, setStatus] = useState('');

  let content;
  if (retention.isError) {
    content = <ErrorPanel title="Could not load retention policies" error={retention.error} onRetry={() => void retention.refetch()} />;
  } else {
    const rows = retention.data ? ['*', ...retention.data.sources] : [];
    content = (
      <div className="overflow-x-auto rounded-md border border-line bg-panel">
        <table aria-label="Retention policies" aria-busy={!retention.data} className="w-full border-collapse text-[13px]">
          <thead>
            <tr className="border-b border-line bg-sunken text-xs text-muted">
              <th scope="col" className={th}>Source</th>
              {RETAINABLE_STATUSES.map((s) => <th key={s} scope="col" className={th}>{s}</th>)}
              {canManage && <th scope="col" className={th}><span className="sr-only">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {!retention.data && <SkeletonRows rows={3} columns={RETAINABLE_STATUSES.length + (canManage ? 2 : 1)} />}
            {retention.data && rows.map((source) => (
              <PolicyRow
                // Fresh inputs whenever the saved policies change.
                key={`${source}:${JSON.stringify(retention.data.policies.filter((p) => p.sourceQueue === source))}`}
                source={source}
                policies={retention.data.policies}
                canManage={canManage}
                onSaved={setStatus}
              />
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Retention</h1>
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      <p className="text-sm text-muted">
        How many days a message is kept after its status last changed; then the worker deletes it, with its revisions and publishes, in small batches. Empty in the{' '}
        <strong className="font-medium">*</strong> row: kept for ever. Empty in a source row: as in <strong className="font-medium">*</strong>;{' '}
        <code className="font-mono text-[12.5px]">forever</code> keeps that source’s messages whatever <strong className="font-medium">*</strong> says. Messages being
        published, held by an unfinished bulk job or waiting for an approval are never deleted, and neither is the audit record: each purge is in it, with its counts.
        {!canManage && ' Only admins change these.'}
      </p>
      <p className="text-sm text-muted">
        Only resolved messages (replayed, redirected, discarded) are ever purged: <strong className="font-medium">new, edited and failed messages are never purged</strong>.
      </p>
      {content}
      {retention.data && <LastPurges purges={retention.data.lastPurges} />}
    </div>
  );
}

function PolicyRow({ source, policies, canManage, onSaved }: { source: string; policies: TRetentionPolicy[]; canManage: boolean; onSaved: (message: string) => void }) {
  const save = useSaveRetentionPolicy();
  const find = (q: string, s: TRetainableStatus) => policies.find((p) => p.sourceQueue === q && p.status === s);
  const saved = Object.fromEntries(RETAINABLE_STATUSES.map((s) => [s, cellOf(find(source, s))])) as Record<TRetainableStatus, TCell>;
  const [cells, setCells] = useState(saved);
  const [failed, setFailed] = useState<unknown>(null);
  const changed = RETAINABLE_STATUSES.filter((s) => cells[s]!.trim().toLowerCase() !== saved[s]);
  const invalid = RETAINABLE_STATUSES.some((s) => cellProblem(cells[s]!) !== null);
  const label = source === '*' ? 'every source (*)' : source;
  const rowId = `retention-${source}`;

  async function submit() {
    setFailed(null);
    try {
      for (const s of changed) {
        const v = cells[s]!.trim().toLowerCase();
        const change: TPolicyChange = v === '' ? { sourceQueue: source, status: s, remove: true } : { sourceQueue: source, status: s, days: v === FOREVER ? null : Number(v) };
        await save.mutateAsync(change);
      }
      onSaved(`Saved retention for ${label}.`);
    } catch (error) {
      setFailed(error);
    }
  }

  return (
    <tr className="border-b border-line last:border-b-0">
      <th scope="row" id={rowId} className={`${td} text-left font-mono text-[12.5px] font-medium break-all`}>{source}</th>
      {RETAINABLE_STATUSES.map((s) => {
        const inherited = source === '*' ? null : find('*', s);
        const placeholder = source === '*' ? FOREVER : inherited ? (inherited.days === null ? FOREVER : `${inherited.days} (*)`) : FOREVER;
        const problem = cellProblem(cells[s]!);
        if (!canManage) {
          return (
            <td key={s} className={`${td} tabular-nums`}>
              {saved[s] === '' ? <span className="text-muted">{placeholder}</span> : saved[s] === FOREVER ? FOREVER : `${saved[s]} d`}
            </td>
          );
        }
        return (
          <td key={s} className={td}>
            <input
              type="text"
              inputMode="numeric"
              aria-label={`Days to keep ${s} messages of ${label}`}
              aria-invalid={problem ? true : undefined}
              title={problem ?? undefined}
              value={cells[s]}
              placeholder={placeholder}
              onChange={(e) => setCells({ ...cells, [s]: e.target.value })}
              onKeyDown={(e) => { if (e.key === 'Enter' && changed.length > 0 && !invalid) void submit(); }}
              className={`field h-7 w-24 tabular-nums ${problem ? 'border-red-500 dark:border-red-400' : ''}`}
            />
          </td>
        );
      })}
      {canManage && (
        <td className={`${td} w-0 text-right whitespace-nowrap`}>
          <span className="inline-flex items-center gap-1.5">
            <button type="button" className="btn h-7 px-2 text-xs" disabled={changed.length === 0 || invalid || save.isPending} aria-busy={save.isPending} aria-describedby={rowId} onClick={() => void submit()}>
              {save.isPending ? 'Saving…' : 'Save'}
            </button>
          </span>
          {failed !== null && <div className="mt-1 max-w-72 text-left whitespace-normal"><FormError error={failed} /></div>}
        </td>
      )}
    </tr>
  );
}

function LastPurges({ purges }: { purges: TPurgeSummary[] }) {
  return (
    <section aria-labelledby="last-purges" className="space-y-1.5">
      <h2 id="last-purges" className="text-sm font-semibold">Last purges</h2>
      {purges.length === 0 ? (
        <EmptyPanel title="Nothing purged yet">The worker deletes what a policy lets go every few minutes; each batch shows here and in the audit log.</EmptyPanel>
      ) : (
        <ul className="divide-y divide-line rounded-md border border-line bg-panel text-[13px]">
          {purges.map((p) => (
            <li key={`${p.at}-${p.total}`} className="px-3 py-1.5">
              <span className="text-muted">{formatDateTime(p.at)}</span>
              <span className="ml-2 font-medium">{formatCount(p.total)} deleted</span>
              <span className="ml-2 text-muted">{p.counts.map((c) => `${c.sourceQueue} ${c.status}: ${formatCount(c.count)}`).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
