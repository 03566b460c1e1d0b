import type { TRunbookKind } from '@/lib/groups/runbook-dto';

/** A runbook link (http or https only: the API refuses anything else). Opens in a new tab, without a referrer. */
export function RunbookLink({ runbook, compact }: { runbook: { kind: TRunbookKind; url: string } | null; compact?: boolean }) {
  if (!runbook) return compact ? <span className="text-muted">—</span> : <span className="text-xs text-muted">No runbook</span>;
  const of = runbook.kind === 'group' ? 'this group' : 'the origin queue';
  return (
    <a href={runbook.url} target="_blank" rel="noopener noreferrer" title={`Runbook of ${of}: ${runbook.url}`} className="text-accent hover:underline">
      {compact ? 'Runbook' : <>Runbook <span className="text-muted">({of})</span></>}
      <span aria-hidden> ↗</span>
    </a>
  );
}
