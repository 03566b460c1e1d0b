'use client';

import Link from 'next/link';
import { useEffect, useRef, type ReactNode } from 'react';
import type { TAuditEventDto } from '@/lib/audit/audit-event-dto';
import { isNotFound } from '../_lib/api-error';
import { formatDateTime } from '../_lib/format';
import { useAuditEvent } from '../_lib/use-audit-events';
import { AuditOutcomeBadge } from './audit-outcome-badge';
import { AuditRevisionBytes } from './audit-revision-bytes';
import { CopyButton } from './copy-button';
import { DiffView } from './diff-view';
import { DispatchesTable } from './dispatches-table';
import { ErrorPanel } from './error-panel';
import { JsonView } from './json-view';
import { Note } from './note';

type TProps = {
  id: string;
  /** The row as the list has it, shown at once while the event itself loads. */
  listed: TAuditEventDto | undefined;
  onClose: () => void;
  onActor: (actor: string) => void;
};

const pretty = (value: unknown) => JSON.stringify(value, null, 2) ?? '';
const none = <span className="text-muted">—</span>;

function Field({ label, children, mono = false }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-[7.5rem_minmax(0,1fr)] gap-x-2">
      <dt className="text-muted">{label}</dt>
      <dd className={`break-words ${mono ? 'font-mono text-[12.5px]' : ''}`}>{children}</dd>
    </div>
  );
}

function Section({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="space-y-1.5 border-t border-line px-4 py-3">
      <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">{title}{aside && <span className="ml-2 font-normal tracking-normal normal-case">{aside}</span>}</h3>
      {children}
    </section>
  );
}

/** One event beside the list: what was recorded, the bytes it concerns, how its publishes ended, and its place in the chain. */
export function AuditEventPanel({ id, listed, onClose, onActor }: TProps) {
  const detail = useAuditEvent(id);
  const e = detail.data ?? listed;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), [id]);

  return (
    <section
      id="audit-event-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="audit-event-title"
      className="fixed top-11 right-0 bottom-0 z-30 flex w-[min(46rem,100vw)] flex-col border-l border-line bg-panel text-[13px] shadow-2xl"
    >
      <div className="flex items-center gap-3 border-b border-line px-4 py-2.5">
        <h2 id="audit-event-title" ref={heading} tabIndex={-1} className="text-base font-semibold outline-none">
          Audit event #{id}
        </h2>
        {e && <span className="font-mono text-[12.5px]">{e.action}</span>}
        {e && <AuditOutcomeBadge outcome={e.outcome} />}
        <span className="ml-auto text-xs text-muted">j/k next/previous · Esc closes</span>
        <button type="button" onClick={onClose} aria-label="Close the event" className="btn h-7 px-2 text-xs">Close</button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {detail.isError && (
          <div className="p-4">
            <ErrorPanel title={isNotFound(detail.error) ? 'No such audit event' : 'Could not load this event'} error={detail.error} onRetry={() => void detail.refetch()} />
          </div>
        )}
        {!e && detail.isPending && <p className="p-4 text-muted">Loading the event…</p>}
        {e && (
          <>
            <dl className="space-y-1 px-4 py-3">
              <Field label="At">{formatDateTime(e.at)} <span className="font-mono text-xs text-muted">{e.at}</span></Field>
              <Field label="Actor" mono>
                {e.actor}
                <button type="button" onClick={() => onActor(e.actor)} className="ml-2 cursor-pointer font-sans text-xs text-accent hover:underline">
                  only this actor’s events
                </button>
              </Field>
              <Field label="Subject" mono>{e.subject ?? none}</Field>
              <Field label="Message" mono>{e.messageId ? <Link href={`/messages/${e.messageId}`} className="text-accent hover:underline">#{e.messageId}</Link> : none}</Field>
              <Field label="Origin / source" mono>{e.originQueue ?? none} / {e.sourceQueue ?? none}</Field>
              <Field label="Target" mono>{e.target ?? none}</Field>
              <Field label="Result">{e.result ?? none}</Field>
              <Field label="Reason">{e.reason ? <span className="italic">“{e.reason}”</span> : none}</Field>
              <Field label="Request" mono>{e.requestId ? <>{e.requestId}<CopyButton value={e.requestId} what="request id" /></> : none}</Field>
            </dl>
            {detail.data?.revision && (
              <Section title="Bytes">
                <AuditRevisionBytes link={detail.data.revision} action={e.action} />
              </Section>
            )}
            {detail.data && detail.data.dispatches.length > 0 && (
              <Section title="Publishes" aside="as they stand now; the event itself never changes">
                <DispatchesTable dispatches={detail.data.dispatches} />
              </Section>
            )}
            <Section title="Before and after">
              {e.redacted && <Note tone="warn">Some values are masked for your role by redaction rules. The record itself holds them unchanged.</Note>}
              {e.before !== null && e.after !== null && (
                <DiffView label="Recorded values" before={pretty(e.before)} after={pretty(e.after)} beforeName="Before" afterName="After" />
              )}
              <div className="grid gap-2 md:grid-cols-2">
                <div>
                  <p className="mb-1 text-xs font-medium text-muted">Before</p>
                  {e.before === null ? <p className="text-xs text-muted">nothing recorded</p> : <JsonView value={e.before} />}
                </div>
                <div>
                  <p className="mb-1 text-xs font-medium text-muted">After</p>
                  {e.after === null ? <p className="text-xs text-muted">nothing recorded</p> : <JsonView value={e.after} />}
                </div>
              </div>
            </Section>
            <Section title="Chain" aside="sha256 over the previous hash and this event (docs/decisions/0009)">
              <dl className="space-y-1">
                <Field label="Hash" mono><span className="break-all">{e.hash}</span><CopyButton value={e.hash} what="hash" /></Field>
                <Field label="Previous hash" mono><span className="break-all">{e.prevHash}</span><CopyButton value={e.prevHash} what="previous hash" /></Field>
              </dl>
            </Section>
          </>
        )}
      </div>
    </section>
  );
}
