'use client';

import Link from 'next/link';
import type { TTimelineItem } from '@/lib/messages/message-dto';
import { formatDateTime, formatRelative } from '../_lib/format';
import { describeTimelineItem, type TTone } from '../_lib/timeline-sentence';
import { useNow } from '../_lib/use-now';
import { canDo, useMe } from '../_lib/use-me';
import { useTimeline } from '../_lib/use-timeline';
import { ErrorPanel } from './error-panel';
import { VisibleText } from './visible-text';

const DOTS: Record<TTone, string> = {
  neutral: 'bg-zinc-400 dark:bg-zinc-500',
  info: 'bg-blue-600 dark:bg-blue-400',
  ok: 'bg-green-600 dark:bg-green-400',
  warn: 'bg-amber-500',
  fail: 'bg-red-600 dark:bg-red-400',
};
const TEXT: Record<TTone, string> = {
  neutral: '',
  info: '',
  ok: 'text-green-900 dark:text-green-200',
  warn: 'text-amber-900 dark:text-amber-200',
  fail: 'font-medium text-red-800 dark:text-red-300',
};

function key(item: TTimelineItem, i: number) {
  return item.kind === 'audit' ? `a${item.id}` : item.kind === 'redeath' ? `r${item.messageId}` : `i${i}`;
}

/** Everything that happened to the message, oldest first: ingest, edits, actions, outcomes, re-deaths. */
export function MessageTimeline({ id, live }: { id: string; live: boolean }) {
  const timeline = useTimeline(id, { live });
  const now = useNow(10_000);
  // The audit page is for roles with audit:read; others would land on its "no access" panel.
  const canReadAudit = canDo(useMe().data, 'audit:read');
  if (timeline.isPending) return <p className="text-sm text-muted">Loading the timeline…</p>;
  if (timeline.isError) return <ErrorPanel title="Could not load the timeline" error={timeline.error} onRetry={() => void timeline.refetch()} />;
  return (
    <div className="space-y-3">
      <ol aria-label="Timeline" className="relative space-y-2.5 before:absolute before:top-1.5 before:bottom-1.5 before:left-[5rem] before:w-px before:bg-line">
        {timeline.data.items.map((item, i) => {
          const sentence = describeTimelineItem(item);
          return (
            <li key={key(item, i)} className="relative grid grid-cols-[4.25rem_1rem_1fr] items-start gap-x-1 text-[13px] leading-5">
              <time dateTime={item.at} title={formatDateTime(item.at)} className="truncate text-right text-xs leading-5 text-muted tabular-nums">
                {formatRelative(item.at, now)}
              </time>
              <span aria-hidden className={`relative z-10 mx-auto mt-1.5 size-2 rounded-full ring-2 ring-panel ${DOTS[sentence.tone]}`} />
              <div className="min-w-0 break-words">
                <p className={TEXT[sentence.tone]}>
                  {sentence.parts.map((part, p) =>
                    typeof part === 'string' ? <VisibleText key={p} text={part} /> : <Link key={p} href={part.href} className="text-accent underline"><VisibleText text={part.text} /></Link>,
                  )}
                </p>
                {sentence.reason && <p className="text-xs text-muted italic">“<VisibleText text={sentence.reason} />”</p>}
              </div>
            </li>
          );
        })}
      </ol>
      {(timeline.data.truncated || canReadAudit) && (
        <p className="border-t border-line pt-2 text-xs text-muted">
          {timeline.data.truncated && 'Only the first events are shown here. '}
          {canReadAudit && (
            <Link href={`/audit?messageId=${encodeURIComponent(id)}`} className="text-accent hover:underline">
              Every audit event of this message, with before and after
            </Link>
          )}
        </p>
      )}
    </div>
  );
}
