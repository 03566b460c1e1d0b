import { formatDateTime } from '../_lib/format';

const LABELS: Record<string, string> = {
  source: 'source',
  origin: 'origin',
  reason: 'reason',
  status: 'status',
  q: 'search',
  from: 'received from',
  to: 'received to',
  group: 'failure group',
  owner: 'owner team',
  path: 'body path',
};
const DATES = new Set(['from', 'to']);

/** The filters a bulk job selects by, as chips: "source orders.dlq · status new". */
export function JobSelectionSummary({ filters }: { filters: Record<string, unknown> }) {
  const entries = Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return <span className="text-muted">No filters</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Selection filters">
      {entries.map(([key, value]) => (
        <li key={key} className="rounded border border-line bg-sunken px-1.5 py-0.5 text-xs [overflow-wrap:anywhere]">
          <span className="text-muted">{LABELS[key] ?? key}</span>{' '}
          <span className="font-mono">{DATES.has(key) && typeof value === 'string' ? formatDateTime(value) : typeof value === 'string' ? value : JSON.stringify(value)}</span>
        </li>
      ))}
    </ul>
  );
}
