'use client';

import Link from 'next/link';
import type { MouseEvent } from 'react';
import type { TGroup } from '@/lib/groups/group-dto';
import { formatCount, formatDateTime, formatRelative } from '../_lib/format';
import { GroupCategory } from './group-category-badge';
import { GroupSignature } from './group-signature';
import { GroupStatusChips } from './group-status-chips';
import { RunbookLink } from './runbook-link';
import { Sparkline } from './sparkline';

const cell = 'px-2 py-1.5 align-top';

export function trendLabel(trend: number[]) {
  const total = trend.reduce((a, b) => a + b, 0);
  return `${formatCount(total)} in the last 24 hours, ${formatCount(trend[trend.length - 1] ?? 0)} in the current hour, at most ${formatCount(Math.max(0, ...trend))} an hour`;
}

export function GroupRow({ group: g, now, isSelected, onOpen }: { group: TGroup; now: number; isSelected: boolean; onOpen: (id: string) => void }) {
  function onClick(event: MouseEvent<HTMLTableRowElement>) {
    // Links, the category disclosure and selected text keep their own clicks.
    if ((event.target as HTMLElement).closest('a, button, details') || window.getSelection()?.toString()) return;
    onOpen(g.id);
  }
  return (
    <tr
      data-group-id={g.id}
      aria-current={isSelected ? 'true' : undefined}
      onClick={onClick}
      className={`cursor-pointer border-b border-line last:border-b-0 ${isSelected ? 'bg-selected shadow-[inset_3px_0_0_var(--accent)]' : 'hover:bg-sunken'}`}
    >
      <td className={`${cell} max-w-[36rem]`}>
        <Link href={`/groups/${g.id}`} className="block hover:underline" aria-label={`Open group ${g.id}: ${g.originQueue ?? 'unknown origin'} ${g.reason} ${g.exceptionType ?? ''}`}>
          <GroupSignature group={g} />
        </Link>
      </td>
      <td className={`${cell} text-right tabular-nums whitespace-nowrap`}>
        <span className="font-medium">{formatCount(g.storedCount)}</span>
        {g.messageCount !== g.storedCount && <div className="text-[11px] text-muted" title="Messages ever grouped here, including purged ones">{formatCount(g.messageCount)} ever</div>}
      </td>
      <td className={cell}><Sparkline values={g.trend} label={trendLabel(g.trend)} /></td>
      <td className={`${cell} whitespace-nowrap tabular-nums text-muted`} title={formatDateTime(g.firstSeenAt)}>{formatRelative(g.firstSeenAt, now)}</td>
      <td className={`${cell} whitespace-nowrap tabular-nums`} title={formatDateTime(g.lastSeenAt)}>{formatRelative(g.lastSeenAt, now)}</td>
      <td className={cell}><GroupStatusChips byStatus={g.byStatus} /></td>
      <td className={`${cell} whitespace-nowrap`}>{g.ownerTeam?.name ?? <span className="text-muted">—</span>}</td>
      <td className={cell}><GroupCategory category={g.category} suggestedAction={g.suggestedAction} /></td>
      <td className={`${cell} whitespace-nowrap`}><RunbookLink runbook={g.runbook} compact /></td>
    </tr>
  );
}
