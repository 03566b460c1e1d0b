'use client';

import { describeProblem, type TConsoleStatus, type TProblemText } from '@/lib/health/console-status-dto';
import { ApiError } from '../_lib/api-error';
import { formatDateTime } from '../_lib/format';
import { STATUS_REFRESH_MS, useConsoleStatus } from '../_lib/use-console-status';

// The console-wide banner under the top bar: what is down (RabbitMQ, the workers, the
// console's own server or database), since when, and what that means for the messages, in
// plain words. Nothing is rendered while all is well; it clears by itself on recovery.

type TLine = TProblemText & { since: string | null; severe: boolean };

/** 03:12 today, "Nov 29 03:12" before: the reader's local time. */
function formatSince(iso: string): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${time}`;
}

function linesOf(status: TConsoleStatus | undefined, error: unknown, lastAnswerAt: number): TLine[] {
  // A 4xx does not say anything about an outage (and a lost session already goes to /login).
  if (error instanceof ApiError && (error.status === 0 || error.status >= 500)) {
    const since = new Date(lastAnswerAt || Date.now()).toISOString();
    return [{
      title: `The console cannot reach its server or database since ${formatSince(since)}`,
      detail: `pages show what they loaded last and cannot act; checking again every ${STATUS_REFRESH_MS.degraded / 1000} s`,
      since,
      severe: true,
    }];
  }
  return (status?.problems ?? []).map((problem) => ({
    ...describeProblem(problem, formatSince),
    since: problem.since,
    severe: problem.kind === 'database',
  }));
}

export function StatusBanner({ initial }: { initial: TConsoleStatus | null }) {
  const query = useConsoleStatus(initial);
  const lines = linesOf(query.data, query.error, query.dataUpdatedAt);
  if (lines.length === 0) return null;
  const severe = lines.some((line) => line.severe);
  return (
    <div
      role="status"
      data-testid="status-banner"
      className={`sticky top-11 z-10 border-b px-4 py-1.5 text-sm ${severe
        ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200'
        : 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200'}`}
    >
      <ul className="flex flex-col gap-0.5">
        {lines.map((line) => (
          <li key={line.title} className="flex items-baseline gap-2">
            <span aria-hidden className={`inline-block size-2 shrink-0 translate-y-[-1px] rounded-full ${line.severe ? 'bg-red-600 dark:bg-red-400' : 'bg-amber-500 dark:bg-amber-400'}`} />
            <span>
              {/* The time is the reader's local time, which the server cannot know. */}
              <strong className="font-semibold" title={line.since ? formatDateTime(line.since) : undefined} suppressHydrationWarning>{line.title}</strong>
              {' — '}
              {line.detail}.
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
