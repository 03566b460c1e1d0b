'use client';

import Link from 'next/link';
import { Fragment, useState, type ReactNode } from 'react';
import type { TAuditEvent } from '@/lib/messages/message-dto';
import { formatDateTime, formatRelative } from '../_lib/format';
import { useNow } from '../_lib/use-now';
import { JsonView } from './json-view';
import { SkeletonRows } from './skeleton-rows';

const COLUMNS = ['Time', 'Actor', 'Action', 'Message / subject', 'Target', 'Result', 'Reason', ''];
const cell = 'px-2 py-1 align-top';
const none = <span className="text-muted">—</span>;

function resultTone(e: TAuditEvent) {
  if (e.action === 'dispatch.failed') return 'font-medium text-red-800 dark:text-red-300';
  if (e.action === 'dispatch.retrying') return 'text-amber-800 dark:text-amber-300';
  if (e.action === 'dispatch.published') return 'text-green-800 dark:text-green-300';
  return '';
}

function Details({ event }: { event: TAuditEvent }) {
  return (
    <div className="space-y-2 bg-sunken/60 px-3 py-2">
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs">
        <div><dt className="inline text-muted">Event </dt><dd className="inline font-mono">#{event.id}</dd></div>
        <div><dt className="inline text-muted">At </dt><dd className="inline">{formatDateTime(event.at)}</dd></div>
        {event.subject && <div><dt className="inline text-muted">Subject </dt><dd className="inline font-mono">{event.subject}</dd></div>}
        {event.requestId && <div><dt className="inline text-muted">Request </dt><dd className="inline font-mono">{event.requestId}</dd></div>}
      </dl>
      <div className="grid gap-2 md:grid-cols-2">
        <div>
          <p className="mb-1 text-xs font-medium text-muted">Before</p>
          {event.before === null ? <p className="text-xs text-muted">nothing recorded</p> : <JsonView value={event.before} />}
        </div>
        <div>
          <p className="mb-1 text-xs font-medium text-muted">After</p>
          {event.after === null ? <p className="text-xs text-muted">nothing recorded</p> : <JsonView value={event.after} />}
        </div>
      </div>
    </div>
  );
}

export function AuditTable({ events, placeholder }: { events: TAuditEvent[] | undefined; placeholder?: ReactNode }) {
  const now = useNow();
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

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
            events.map((e) => {
              const isOpen = open.has(e.id);
              return (
                <Fragment key={e.id}>
                  <tr data-audit-id={e.id} className={`border-b border-line ${isOpen ? 'bg-selected' : 'hover:bg-sunken'}`}>
                    <td className={`${cell} whitespace-nowrap tabular-nums`} title={formatDateTime(e.at)}>
                      <time dateTime={e.at}>{formatRelative(e.at, now)}</time>
                    </td>
                    <td className={`${cell} max-w-64 font-mono text-[12.5px] [overflow-wrap:anywhere]`}>{e.actor}</td>
                    <td className={`${cell} font-mono text-[12.5px] whitespace-nowrap`}>{e.action}</td>
                    <td className={`${cell} max-w-56 font-mono text-[12.5px]`}>
                      {e.messageId ? (
                        <Link href={`/messages/${e.messageId}`} className="text-accent hover:underline">#{e.messageId}</Link>
                      ) : e.subject ? (
                        // Not about a message (a team, a token, a source): say what it is about.
                        <span className="text-muted [overflow-wrap:anywhere]">{e.subject}</span>
                      ) : (
                        none
                      )}
                    </td>
                    <td className={`${cell} max-w-72 font-mono text-[12.5px] break-words`}>{e.target ?? none}</td>
                    <td className={`${cell} max-w-72 break-words ${resultTone(e)}`}>{e.result ?? none}</td>
                    <td className={`${cell} max-w-80 break-words`}>{e.reason ? <span className="italic">“{e.reason}”</span> : none}</td>
                    <td className={`${cell} text-right`}>
                      <button
                        type="button"
                        aria-expanded={isOpen}
                        aria-controls={`audit-${e.id}`}
                        aria-label={`${isOpen ? 'Hide' : 'Show'} details of event ${e.id}`}
                        onClick={() => toggle(e.id)}
                        className="btn h-6 px-2 text-xs"
                      >
                        {isOpen ? 'Hide' : 'Details'}
                      </button>
                    </td>
                  </tr>
                  {isOpen && (
                    <tr id={`audit-${e.id}`} className="border-b border-line">
                      <td colSpan={COLUMNS.length} className="p-0"><Details event={e} /></td>
                    </tr>
                  )}
                </Fragment>
              );
            })
          ) : (
            <SkeletonRows columns={COLUMNS.length} />
          )}
        </tbody>
      </table>
    </div>
  );
}
