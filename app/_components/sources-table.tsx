'use client';

import Link from 'next/link';
import { formatCount, formatDateTime, formatRelative } from '../_lib/format';
import { useNow } from '../_lib/use-now';
import { useSources } from '../_lib/use-sources';
import type { TSourceSummary } from '@/lib/sources/list-sources';
import { ErrorPanel } from './error-panel';
import { SkeletonRows } from './skeleton-rows';
import { EmptyPanel } from './empty-panel';

const COLUMNS = ['Queue', 'Waiting', 'Stored', 'Unresolved', 'Last ingested', 'Status'];
const NUMERIC = new Set(['Waiting', 'Stored', 'Unresolved']);
const th = 'px-2 py-1.5 text-left font-medium whitespace-nowrap';
const td = 'px-2 py-1.5 align-top';

export function SourcesTable() {
  const sources = useSources();
  const now = useNow();
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
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={`${th} ${NUMERIC.has(c) ? 'text-right' : ''}`}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {!sources.data && <SkeletonRows rows={3} columns={COLUMNS.length} />}
          {sources.data?.map((s) => (
            <tr key={s.queue} className="border-b border-line last:border-b-0">
              <th scope="row" className={`${td} text-left font-mono text-[12.5px] font-normal`}>
                <Link href={`/messages?source=${encodeURIComponent(s.queue)}`} className="text-accent hover:underline" title="Show its dead letters">{s.queue}</Link>
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
