import type { TApprovalSummary } from '@/lib/approvals/approval-dto';

// How a request's state and grounds read in the table and the panel.

const STATUS_STYLES: Record<string, string> = {
  pending: 'bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-500/15 dark:text-amber-200 dark:ring-amber-500/40',
  running: 'bg-sky-100 text-sky-900 ring-sky-300 dark:bg-sky-500/15 dark:text-sky-200 dark:ring-sky-500/40',
  executed: 'bg-green-100 text-green-900 ring-green-300 dark:bg-green-500/15 dark:text-green-200 dark:ring-green-500/40',
  failed: 'bg-red-100 text-red-900 ring-red-300 dark:bg-red-500/15 dark:text-red-200 dark:ring-red-500/40',
  rejected: 'bg-red-100 text-red-900 ring-red-300 dark:bg-red-500/15 dark:text-red-200 dark:ring-red-500/40',
  cancelled: 'bg-sunken text-muted ring-line',
};

/** pending, "approved · running", "approved · done", "approved · 2 failed", rejected, cancelled. */
export function approvalState(a: Pick<TApprovalSummary, 'status' | 'executedAt' | 'outcome'>): { key: string; label: string } {
  if (a.status !== 'approved') return { key: a.status, label: a.status };
  if (!a.executedAt) return { key: 'running', label: 'approved · not finished' };
  if (a.outcome && a.outcome.failed > 0) return { key: 'failed', label: `approved · ${a.outcome.failed} failed` };
  return { key: 'executed', label: 'approved · done' };
}

export function ApprovalStatus({ approval }: { approval: Pick<TApprovalSummary, 'status' | 'executedAt' | 'outcome'> }) {
  const { key, label } = approvalState(approval);
  return (
    <span title={`approval: ${approval.status}`} className={`inline-block rounded px-1.5 py-0.5 text-xs whitespace-nowrap ring-1 ring-inset ${STATUS_STYLES[key] ?? STATUS_STYLES.cancelled}`}>
      {label}
    </span>
  );
}

export function groundLabel(ground: string): string {
  if (ground === 'threshold') return 'over the threshold';
  if (ground.startsWith('protected:')) return `protected source ${ground.slice('protected:'.length)}`;
  return ground;
}

export function Grounds({ grounds }: { grounds: string[] }) {
  return (
    <ul className="flex min-w-[10rem] flex-wrap gap-1" aria-label="Grounds">
      {grounds.map((g) => (
        <li key={g} className="rounded border border-line bg-sunken px-1.5 py-0.5 text-xs [overflow-wrap:anywhere]">
          {g.startsWith('protected:')
            ? <>protected source <span className="font-mono text-[11.5px]">{g.slice('protected:'.length)}</span></>
            : groundLabel(g)}
        </li>
      ))}
    </ul>
  );
}
