import type { TMessageStatus } from '@/lib/messages/message-dto';
import { MESSAGE_STATUSES } from '@/lib/messages/message-dto';
import { formatCount } from '../_lib/format';
import { StatusBadge } from './status-badge';

/** How the group's stored messages stand: "new 12 · replayed 3". */
export function GroupStatusChips({ byStatus }: { byStatus: Partial<Record<TMessageStatus, number>> }) {
  const present = MESSAGE_STATUSES.filter((s) => (byStatus[s] ?? 0) > 0);
  if (present.length === 0) return <span className="text-xs text-muted">none stored</span>;
  return (
    <ul aria-label="Messages by status" className="flex flex-wrap gap-1">
      {present.map((s) => (
        <li key={s} className="inline-flex items-center gap-1 rounded bg-sunken px-1.5 py-px ring-1 ring-line ring-inset">
          <StatusBadge status={s} />
          <span className="text-xs tabular-nums">{formatCount(byStatus[s]!)}</span>
        </li>
      ))}
    </ul>
  );
}
