import Link from 'next/link';
import type { ReactNode } from 'react';
import type { TMessageDetail } from '@/lib/messages/message-dto';
import { formatBytes, formatCount, formatDateTime } from '../_lib/format';
import { CopyButton } from './copy-button';
import { GroupCategoryBadge } from './group-category-badge';
import { ReasonBadge } from './reason-badge';
import { RunbookLink } from './runbook-link';
import { StatusBadge } from './status-badge';
import { TraceLink } from './trace-link';
import { VisibleText } from './visible-text';

const none = <span className="text-muted">—</span>;

function Field({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className={`break-all ${mono ? 'font-mono text-[12.5px]' : 'text-[13px]'}`}>{children}</dd>
    </div>
  );
}

export function MessageSummary({ message: m }: { message: TMessageDetail }) {
  const exchange = m.exchange === '' ? '(default exchange)' : m.exchange;
  return (
    <header className="rounded-md border border-line bg-panel p-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-base font-semibold">
          <span className="font-normal text-muted">Dead-lettered from </span>
          <span className="font-mono break-all"><VisibleText text={m.origin ?? 'an unknown queue'} /></span>
        </h1>
        <ReasonBadge reason={m.reason} />
        <StatusBadge status={m.status} />
        <span className="text-xs text-muted">
          {formatCount(m.deathCount)} {m.deathCount === 1 ? 'death' : 'deaths'}
        </span>
        <span className="ml-auto font-mono text-xs text-muted">
          #{m.id}
          <CopyButton value={m.id} what="console ID" />
        </span>
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 md:grid-cols-4">
        <Field label="Message ID" mono>{m.messageId ? <><VisibleText text={m.messageId} /><CopyButton value={m.messageId} what="message ID" /></> : none}</Field>
        <Field label="Correlation ID" mono>{m.correlationId ? <><VisibleText text={m.correlationId} /><CopyButton value={m.correlationId} what="correlation ID" /></> : none}</Field>
        <Field label="Source" mono><VisibleText text={m.source} /></Field>
        <Field label="Received"><span title={m.ingestedAt}>{formatDateTime(m.ingestedAt)}</span></Field>
        <Field label="First death"><span title={m.firstDeathAt ?? undefined}>{formatDateTime(m.firstDeathAt)}</span></Field>
        <Field label="Last death"><span title={m.lastDeathAt ?? undefined}>{formatDateTime(m.lastDeathAt)}</span></Field>
        <Field label="Exchange" mono>{exchange === null ? none : <VisibleText text={exchange} />}</Field>
        <Field label="Routing keys" mono>{m.routingKeys.length ? <VisibleText text={m.routingKeys.join(', ')} /> : none}</Field>
        <Field label="Content type" mono>{m.contentType === null ? none : <VisibleText text={m.contentType} />}{m.contentEncoding && <span className="text-muted"> (<VisibleText text={m.contentEncoding} />)</span>}</Field>
        <Field label="Size">
          {formatBytes(m.size)} <span className="text-muted">({formatCount(m.size)} bytes)</span>
          {m.isLarge && <span className="ml-1.5 rounded bg-amber-100 px-1 text-[11px] font-medium text-amber-900 dark:bg-amber-500/15 dark:text-amber-300">large</span>}
        </Field>
        <Field label="Delivered to the source via" mono>
          <VisibleText text={m.deliveryExchange || '(default exchange)'} /> → {m.deliveryRoutingKey ? <VisibleText text={m.deliveryRoutingKey} /> : none}
        </Field>
        {m.traceUrl && <Field label="Trace"><TraceLink traceUrl={m.traceUrl} traceUrlBy={m.traceUrlBy} /></Field>}
      </dl>
      {m.group && (
        <section aria-label="Failure group" className="mt-3 flex flex-wrap items-start gap-x-3 gap-y-1 rounded border border-line bg-sunken px-3 py-2 text-[13px]">
          <Link href={`/groups/${m.group.id}`} className="font-medium text-accent hover:underline">
            Failure group #{m.group.id}
          </Link>
          <GroupCategoryBadge category={m.group.category} />
          <p className="min-w-0 flex-1"><span className="text-muted">Suggested action:</span> {m.group.suggestedAction}</p>
          <RunbookLink runbook={m.group.runbook} />
        </section>
      )}
    </header>
  );
}
