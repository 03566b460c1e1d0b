'use client';

import type { TDispatch } from '@/lib/messages/message-dto';
import { describeDestination } from '../_lib/use-action-targets';
import { formatDateTime, formatRelative } from '../_lib/format';
import { shortActor } from '../_lib/timeline-sentence';
import { useNow } from '../_lib/use-now';

const STATE_STYLES: Record<TDispatch['state'], string> = {
  pending: 'text-amber-800 dark:text-amber-300',
  published: 'text-green-800 dark:text-green-300',
  failed: 'font-semibold text-red-800 dark:text-red-300',
};
const STATE_LABELS: Record<TDispatch['state'], string> = { pending: 'pending…', published: 'published', failed: 'failed' };

function target(d: TDispatch): string {
  const where = describeDestination(d);
  if (d.sandbox) return `sandbox ${d.sandbox}, ${where}`;
  if (d.team) return `team ${d.team}, ${where}`;
  return where;
}

const cell = 'px-2 py-1 align-top';

/** Each publish the console made or is making of this message, newest first. */
export function DispatchesTable({ dispatches }: { dispatches: TDispatch[] }) {
  const now = useNow(5_000);
  return (
    <div className="overflow-x-auto">
      <table aria-label="Dispatches" className="w-full border-collapse text-[13px]">
        <thead>
          <tr className="border-b border-line bg-sunken text-left text-xs text-muted">
            {['Target', 'Kind', 'State', 'Attempts', 'Last error', 'Actor', 'Time'].map((c) => (
              <th key={c} scope="col" className={`px-2 py-1.5 font-medium whitespace-nowrap ${c === 'Attempts' ? 'text-right' : ''}`}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {dispatches.map((d) => (
            <tr key={d.id} data-state={d.state} className={`border-b border-line last:border-b-0 ${d.state === 'failed' ? 'bg-red-50 shadow-[inset_3px_0_0_var(--color-red-600)] dark:bg-red-950/40' : ''}`}>
              <td className={`${cell} font-mono text-[12.5px] [overflow-wrap:anywhere]`}>
                {target(d)}
                {d.revision > 0 && <span className="ml-1.5 font-sans text-xs text-muted">revision #{d.revision}</span>}
              </td>
              <td className={cell}>{d.kind}</td>
              <td className={`${cell} whitespace-nowrap ${STATE_STYLES[d.state]}`}>{STATE_LABELS[d.state]}</td>
              <td className={`${cell} text-right tabular-nums`} title={d.attempts > 1 ? 'Tried more than once: a consumer may see a duplicate with the same x-dlq-console-replay-id' : undefined}>
                {d.attempts}
              </td>
              <td className={`${cell} break-words ${d.state === 'failed' ? 'text-red-900 dark:text-red-200' : 'text-muted'}`}>{d.lastError ?? '—'}</td>
              <td className={`${cell} whitespace-nowrap`}>{shortActor(d.actor)}</td>
              <td className={`${cell} whitespace-nowrap tabular-nums`} title={`requested ${formatDateTime(d.createdAt)}${d.settledAt ? `, settled ${formatDateTime(d.settledAt)}` : ''}`}>
                {formatRelative(d.settledAt ?? d.createdAt, now)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
