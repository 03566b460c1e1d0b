import type { TTypedValue } from '@/lib/ingest/typed-headers';

const STYLES: Record<TTypedValue['type'], string> = {
  string: 'text-emerald-800 ring-emerald-200 dark:text-emerald-300 dark:ring-emerald-500/30',
  number: 'text-blue-800 ring-blue-200 dark:text-blue-300 dark:ring-blue-500/30',
  boolean: 'text-violet-800 ring-violet-200 dark:text-violet-300 dark:ring-violet-500/30',
  timestamp: 'text-amber-900 ring-amber-200 dark:text-amber-300 dark:ring-amber-500/30',
  decimal: 'text-cyan-800 ring-cyan-200 dark:text-cyan-300 dark:ring-cyan-500/30',
  bytes: 'text-rose-800 ring-rose-200 dark:text-rose-300 dark:ring-rose-500/30',
  void: 'text-muted ring-line',
  table: 'text-fg ring-line',
  array: 'text-fg ring-line',
  'too-deep': 'text-muted ring-line',
};

export function TypeBadge({ type }: { type: TTypedValue['type'] }) {
  return <span className={`inline-block rounded px-1 font-mono text-[11px] leading-4 ring-1 ring-inset ${STYLES[type] ?? STYLES.void}`}>{type}</span>;
}
