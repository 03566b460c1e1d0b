import type { ReactNode } from 'react';

type TProps = { id: string; title: string; aside?: ReactNode; children: ReactNode };

export function DetailSection({ id, title, aside, children }: TProps) {
  return (
    <section aria-labelledby={id} className="rounded-md border border-line bg-panel">
      <div className="flex items-baseline gap-3 border-b border-line px-3 py-2">
        <h2 id={id} className="text-sm font-semibold">{title}</h2>
        {aside && <div className="text-xs text-muted">{aside}</div>}
      </div>
      <div className="p-3">{children}</div>
    </section>
  );
}
