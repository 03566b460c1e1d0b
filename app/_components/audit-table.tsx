'use client';

import Link from 'next/link';
import type { MouseEvent, ReactNode } from 'react';
import type { TAuditEventDto } from '@/lib/audit/audit-event-dto';
import { formatDateTime, formatRelative } from '../_lib/format';
import { useNow } from '../_lib/use-now';
import { AuditOutcomeBadge } from './audit-outcome-badge';
import { SkeletonRows } from './skeleton-rows';

const COLUMNS = ['Time', 'Actor', 'Action', 'Outcome', 'Message / subject', 'Origin / source', 'Target', 'Reason', ''];
const cell = 'px-2 py-1 align-top';
const mono = 'font-mono text-[12.5px]';
const none = <span className="text-muted">—</span>;

type TProps = {
  events: TAuditEventDto[] | undefined;
  /** Shown in place of rows (empty or error state). */
  placeholder?: ReactNode;
  selectedId: string | null;
  openId: string | null;
  onOpen: (id: string) => void;
  onClose: () => void;
  onActor: (actor: string) => void;
};

function Row({ e, now, isSelected, isOpen, onOpen, onClose, onActor }: { e: TAuditEventDto; now: number; isSelected: boolean; isOpen: boolean } & Pick<TProps, 'onOpen' | 'onClose' | 'onActor'>) {
  function onClick(event: MouseEvent<HTMLTableRowElement>) {
    // Links and buttons in the row do their own thing; selecting text is not a click.
    if ((event.target as HTMLElement).closest('a, button') || window.getSelection()?.toString()) return;
    onOpen(e.id);
  }
  return (
    <tr
      data-audit-id={e.id}
      tabIndex={-1}
      aria-current={isSelected ? 'true' : undefined}
      onClick={onClick}
      className={`cursor-pointer border-b border-line outline-none ${isOpen || isSelected ? 'bg-selected' : 'hover:bg-sunken'} ${isSelected ? 'shadow-[inset_3px_0_0_var(--accent)]' : ''}`}
    >
      <td className={`${cell} whitespace-nowrap tabular-nums`} title={formatDateTime(e.at)}>
        <time dateTime={e.at}>{formatRelative(e.at, now)}</time>
      </td>
      <td className={`${cell} min-w-44 max-w-64`}>
        <button
          type="button"
          onClick={() => onActor(e.actor)}
          title={`Show only events by ${e.actor}`}
          aria-label={`Show only events by ${e.actor}`}
          className={`${mono} cursor-pointer text-left [overflow-wrap:anywhere] hover:text-accent hover:underline`}
        >
          {e.actor}
        </button>
      </td>
      <td className={`${cell} ${mono} whitespace-nowrap`}>{e.action}</td>
      <td className={`${cell} max-w-64`}>
        <AuditOutcomeBadge outcome={e.outcome} />
        {e.result && <span className="ml-1.5 text-xs break-words text-muted" title={e.result}>{e.result.length > 80 ? `${e.result.slice(0, 80)}…` : e.result}</span>}
      </td>
      <td className={`${cell} min-w-36 max-w-56 ${mono}`}>
        {e.messageId ? (
          <Link href={`/messages/${e.messageId}`} className="text-accent hover:underline">#{e.messageId}</Link>
        ) : e.subject ? (
          // Not about a message (a team, a token, a source): say what it is about.
          <span className="text-muted [overflow-wrap:anywhere]">{e.subject}</span>
        ) : (
          none
        )}
      </td>
      <td className={`${cell} max-w-48 ${mono}`}>
        {e.originQueue || e.sourceQueue ? (
          <>
            <span className="block truncate" title={`origin: ${e.originQueue ?? 'unknown'}`}>{e.originQueue ?? none}</span>
            {e.sourceQueue && <span className="block truncate text-xs text-muted" title={`source: ${e.sourceQueue}`}>{e.sourceQueue}</span>}
          </>
        ) : none}
      </td>
      <td className={`${cell} max-w-64 ${mono} break-words`}>{e.target ?? none}</td>
      <td className={`${cell} max-w-72 break-words`}>{e.reason ? <span className="italic">“{e.reason}”</span> : none}</td>
      <td className={`${cell} text-right`}>
        <button
          type="button"
          aria-expanded={isOpen}
          aria-controls={isOpen ? 'audit-event-panel' : undefined}
          aria-label={`${isOpen ? 'Hide' : 'Show'} details of event ${e.id}`}
          onClick={() => (isOpen ? onClose() : onOpen(e.id))}
          className="btn h-6 px-2 text-xs"
        >
          {isOpen ? 'Hide' : 'Details'}
        </button>
      </td>
    </tr>
  );
}

/** Dense, newest first; a click (or Enter on the row j/k selected) opens the event beside the list. */
export function AuditTable({ events, placeholder, selectedId, openId, onOpen, onClose, onActor }: TProps) {
  const now = useNow();
  return (
    <div className="overflow-x-auto rounded-md border border-line bg-panel">
      <table aria-label="Audit events" aria-busy={!events && !placeholder} className="w-full border-collapse text-[13px]">
        <thead>
          <tr className="border-b border-line bg-sunken text-left text-xs text-muted">
            {COLUMNS.map((c, i) => (
              <th key={i} scope="col" className="px-2 py-1.5 font-medium whitespace-nowrap">{c || <span className="sr-only">Details</span>}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {placeholder ? (
            <tr><td colSpan={COLUMNS.length} className="p-0">{placeholder}</td></tr>
          ) : events ? (
            events.map((e) => <Row key={e.id} e={e} now={now} isSelected={e.id === selectedId} isOpen={e.id === openId} onOpen={onOpen} onClose={onClose} onActor={onActor} />)
          ) : (
            <SkeletonRows columns={COLUMNS.length} />
          )}
        </tbody>
      </table>
    </div>
  );
}
