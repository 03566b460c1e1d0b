import type { ReactNode } from 'react';

const TONES = {
  info: 'border-line bg-sunken text-fg',
  warn: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200',
} as const;

export function Note({ tone = 'info', children }: { tone?: keyof typeof TONES; children: ReactNode }) {
  return <p role={tone === 'warn' ? 'note' : undefined} className={`rounded border px-3 py-1.5 text-xs ${TONES[tone]}`}>{children}</p>;
}
