'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { TAuditChainHead, TAuditVerificationRecord, TBreakKind } from '@/lib/audit/audit-integrity-dto';
import { formatCount, formatDateTime, formatRelative } from '../_lib/format';
import { useNow } from '../_lib/use-now';

// One recorded verification: when, by whom, and what it found; for a broken chain, the
// first event that does not fit, why, and the two hashes that disagree.

export const KIND_LABELS: Record<TBreakKind, string> = {
  hash_mismatch: 'the event was changed after it was written',
  link_mismatch: 'an event before it was removed, inserted or rewritten',
  head_mismatch: 'the end of the record does not match the chain head',
};

const eventHref = (id: string) => `/audit?event=${encodeURIComponent(id)}`;

function EventLink({ id }: { id: string }) {
  return <Link href={eventHref(id)} className="font-mono text-accent underline underline-offset-2">event {id}</Link>;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}

const hash = (value: string | null) => <span className="font-mono text-[12.5px] break-all">{value ?? '(none)'}</span>;

export function AuditVerificationView({ record, head }: { record: TAuditVerificationRecord; head: TAuditChainHead }) {
  const now = useNow();
  const v = record.verification;
  // The verification event itself came after the events it checked.
  const since = v.ok ? head.events - v.checked - 1 : 0;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-[13px]">
      <Row label="Result">
        {v.ok ? (
          <span className="inline-flex items-center gap-1.5 font-medium text-green-800 dark:text-green-300">
            <span aria-hidden className="size-2 rounded-full bg-green-600 dark:bg-green-400" />
            Intact
          </span>
        ) : (
          <span className="inline-flex items-center gap-1.5 rounded bg-red-100 px-1.5 font-semibold text-red-800 ring-1 ring-red-300 ring-inset dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/40">
            <span aria-hidden className="size-2 rounded-full bg-red-600 dark:bg-red-400" />
            Broken
          </span>
        )}
      </Row>
      <Row label="When">
        <time dateTime={record.at} title={formatDateTime(record.at)}>{formatDateTime(record.at)}</time>
        <span className="text-muted"> · {formatRelative(record.at, now)}</span>
      </Row>
      <Row label="By"><span className="break-all">{record.actor}</span></Row>
      {v.ok ? (
        <>
          <Row label="Checked">
            {formatCount(v.checked)} events{v.headId && <>, up to <EventLink id={v.headId} /></>}
          </Row>
          <Row label="Head hash">{hash(v.headHash)}</Row>
          {since > 0 && <Row label="Since then"><span className="text-muted">{formatCount(since)} more events, not yet verified</span></Row>}
        </>
      ) : (
        <>
          <Row label="Broken at">
            {v.brokenAt ? <EventLink id={v.brokenAt} /> : <span className="text-muted">no event</span>}
            <span className="ml-2 font-mono text-xs text-muted">{v.kind}</span>
            <p className="mt-0.5">{v.detail}</p>
          </Row>
          <Row label="Expected">{hash(v.expected)}</Row>
          <Row label="Stored">{hash(v.actual)}</Row>
          <Row label="Intact before it">{formatCount(v.checked)} events</Row>
        </>
      )}
      <Row label="Recorded as"><EventLink id={record.eventId} /></Row>
    </dl>
  );
}
