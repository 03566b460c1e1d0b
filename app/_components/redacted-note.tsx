import type { TRedactionNote } from '@/lib/redaction/redaction-rule-dto';

const MAX_SHOWN = 5;

/** Says which values redaction rules masked for this reader, and what would show them. */
export function RedactedNote({ what, names, total }: { what: 'body' | 'headers'; names: string[]; total?: number }) {
  if (names.length === 0) return null;
  const shown = names.slice(0, MAX_SHOWN);
  const more = (total ?? names.length) - shown.length;
  return (
    <p role="note" className="flex flex-wrap items-baseline gap-x-2 gap-y-1 rounded border border-amber-300 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200">
      <span className="rounded-sm bg-amber-200 px-1.5 py-px font-semibold text-amber-950 dark:bg-amber-800 dark:text-amber-50">Redacted</span>
      <span>
        {what === 'body' ? 'Values at ' : 'Headers '}
        {shown.map((n, i) => (
          <span key={`${i}:${n}`}>
            {i > 0 && ', '}
            <code className="font-mono break-all">{n}</code>
          </span>
        ))}
        {more > 0 && ` and ${more} more`} are shown as <code className="font-mono">[redacted]</code>: seeing them needs the{' '}
        <code className="font-mono">messages:read-sensitive</code> permission.
      </span>
    </p>
  );
}

/** True when an editor would save masks: what this reader sees has redacted values. */
export function hasRedactions(note: TRedactionNote | null): note is TRedactionNote {
  return note !== null && (note.paths.length > 0 || note.headers.length > 0);
}
