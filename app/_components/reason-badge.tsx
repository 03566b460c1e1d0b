import type { TReason } from '@/lib/messages/message-dto';

const STYLES: Record<TReason, string> = {
  rejected: 'bg-red-100 text-red-800 ring-red-200 dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/30',
  expired: 'bg-amber-100 text-amber-900 ring-amber-200 dark:bg-amber-500/15 dark:text-amber-300 dark:ring-amber-500/30',
  maxlen: 'bg-violet-100 text-violet-800 ring-violet-200 dark:bg-violet-500/15 dark:text-violet-300 dark:ring-violet-500/30',
  delivery_limit: 'bg-orange-100 text-orange-900 ring-orange-200 dark:bg-orange-500/15 dark:text-orange-300 dark:ring-orange-500/30',
  unknown: 'bg-zinc-100 text-zinc-700 ring-zinc-200 dark:bg-zinc-500/15 dark:text-zinc-300 dark:ring-zinc-500/30',
};

/** The dead-letter reason; anything the broker may add later shows as "unknown". */
export function ReasonBadge({ reason }: { reason: string }) {
  const style = STYLES[reason as TReason] ?? STYLES.unknown;
  return <span className={`inline-block rounded px-1.5 py-px font-mono text-xs ring-1 ring-inset whitespace-nowrap ${style}`}>{reason}</span>;
}
