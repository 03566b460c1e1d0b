'use client';

import Link from 'next/link';
import type { MouseEvent } from 'react';
import type { TMessageSummary } from '@/lib/messages/message-dto';
import { formatBytes, formatRelative } from '../_lib/format';
import { ReasonBadge } from './reason-badge';
import { StatusBadge } from './status-badge';
import { VisibleText } from './visible-text';
import { markInvisible } from './invisible-chars';

type TProps = { message: TMessageSummary; now: number; isSelected: boolean; onOpen: (id: string) => void };

const cell = 'px-2 py-1 align-middle';
const mono = 'font-mono text-[12.5px]';

export function MessageRow({ message: m, now, isSelected, onOpen }: TProps) {
  function onClick(event: MouseEvent<HTMLTableRowElement>) {
    // The Message ID link handles its own clicks (and ctrl/middle click); selecting text is not a click.
    if ((event.target as HTMLElement).closest('a') || window.getSelection()?.toString()) return;
    onOpen(m.id);
  }
  const keys = m.routingKeys.join(', ');
  return (
    <tr
      data-message-id={m.id}
      aria-current={isSelected ? 'true' : undefined}
      onClick={onClick}
      className={`cursor-pointer border-b border-line ${isSelected ? 'bg-selected shadow-[inset_3px_0_0_var(--accent)]' : 'hover:bg-sunken'}`}
    >
      <td className={`${cell} whitespace-nowrap tabular-nums`} title={m.ingestedAt}>{formatRelative(m.ingestedAt, now)}</td>
      <td className={`${cell} ${mono} max-w-48 truncate`} title={markInvisible(m.source)}><VisibleText text={m.source} /></td>
      <td className={`${cell} ${mono} max-w-48 truncate`} title={m.origin === null ? undefined : markInvisible(m.origin)}>{m.origin === null ? <span className="text-muted">—</span> : <VisibleText text={m.origin} />}</td>
      <td className={cell}><ReasonBadge reason={m.reason} /></td>
      <td className={cell}><StatusBadge status={m.status} /></td>
      <td className={`${cell} text-right tabular-nums`}>{m.deathCount}</td>
      <td className={`${cell} ${mono} max-w-72 truncate`}>
        <Link href={`/messages/${m.id}`} title={`Open message ${m.id}`} className="text-accent hover:underline">
          {m.messageId === null ? <span className="italic">#{m.id}</span> : <VisibleText text={m.messageId} />}
        </Link>
      </td>
      <td className={`${cell} ${mono} max-w-56 truncate`} title={markInvisible(keys)}>{keys ? <VisibleText text={keys} /> : <span className="text-muted">—</span>}</td>
      <td className={`${cell} ${mono} max-w-40 truncate text-muted`} title={m.contentType === null ? undefined : markInvisible(m.contentType)}>{m.contentType === null ? '—' : <VisibleText text={m.contentType} />}</td>
      <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>
        {m.isLarge && <span className="mr-1.5 rounded bg-amber-100 px-1 text-[11px] font-medium text-amber-900 dark:bg-amber-500/15 dark:text-amber-300">large</span>}
        {formatBytes(m.size)}
      </td>
    </tr>
  );
}
