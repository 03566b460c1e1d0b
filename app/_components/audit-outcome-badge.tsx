import type { TAuditOutcome } from '@/lib/audit/record-audit-event';

const STYLES: Record<TAuditOutcome, { text: string; dot: string }> = {
  succeeded: { text: 'text-green-800 dark:text-green-300', dot: 'bg-green-600 dark:bg-green-400' },
  failed: {
    text: 'rounded bg-red-100 px-1 font-semibold text-red-800 ring-1 ring-red-300 ring-inset dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/40',
    dot: 'bg-red-600 dark:bg-red-400',
  },
  pending: { text: 'text-amber-800 dark:text-amber-300', dot: 'bg-amber-500' },
  rejected: { text: 'text-violet-800 dark:text-violet-300', dot: 'bg-violet-600 dark:bg-violet-400' },
};

/** The outcome in one word, as recorded; "pending" stays pending in the record, the dispatches say how it ended. */
export function AuditOutcomeBadge({ outcome }: { outcome: TAuditOutcome | null }) {
  if (!outcome) return <span className="text-xs text-muted">—</span>;
  // An outcome this build does not know (a newer server) still shows, in neutral colours.
  const style = STYLES[outcome] ?? { text: 'text-muted', dot: 'bg-zinc-400' };
  return (
    <span className={`inline-flex items-center gap-1.5 text-xs whitespace-nowrap ${style.text}`} title={`outcome: ${outcome}`}>
      <span aria-hidden className={`size-1.5 rounded-full ${style.dot}`} />
      {outcome}
    </span>
  );
}
