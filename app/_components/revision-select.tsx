import type { TRevisionSummary } from '@/lib/messages/message-dto';
import { shortActor } from '../_lib/timeline-sentence';

type TProps = { id: string; label: string; revisions: TRevisionSummary[]; value: number; onChange: (n: number) => void; latestHint?: boolean };

/** "Original" (the bytes that arrived) and each revision "#n by author", newest first. */
export function RevisionSelect({ id, label, revisions, value, onChange, latestHint = true }: TProps) {
  const sorted = [...revisions].sort((a, b) => b.number - a.number);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-muted">{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))} className="field">
        {sorted.map((r, i) => (
          <option key={r.number} value={r.number}>
            #{r.number} by {shortActor(r.author)}{latestHint && i === 0 ? ' (latest)' : ''}
          </option>
        ))}
        <option value={0}>Original{latestHint && sorted.length === 0 ? ' (as it arrived)' : ''}</option>
      </select>
    </div>
  );
}

export function latestRevision(revisions: TRevisionSummary[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.number), 0);
}
