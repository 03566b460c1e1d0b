import type { ReactNode } from 'react';

/** A panel saying a table has nothing to show yet, and what would put something there. */
export function EmptyPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="rounded-md border border-line bg-panel px-4 py-10 text-center">
      <p className="font-medium">{title}</p>
      <p className="mt-1 text-sm text-muted">{children}</p>
    </div>
  );
}
