'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { TAuditChainHead } from '@/lib/audit/audit-integrity-dto';
import { formatCount } from '../_lib/format';
import { useAuditIntegrity, useVerifyAuditChain } from '../_lib/use-audit-integrity';
import { canDo, useMe } from '../_lib/use-me';
import { AuditVerificationView, KIND_LABELS } from './audit-verification-view';
import { CopyButton } from './copy-button';
import { DetailSection } from './detail-section';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';

// The audit chain's status for auditors and admins: the head to anchor elsewhere, the last
// verification and who ran it, and a way to verify now (docs/decisions/0009-audit-hash-chain.md).

const HEAD_COMMAND = 'npm run --silent cli -- audit head --json';
const CRON_LINE = `0 * * * *  cd /srv/dlq-console && ${HEAD_COMMAND} >> /mnt/worm/dlq-audit-heads.jsonl`;

export function AuditIntegrityScreen() {
  const integrity = useAuditIntegrity();
  const me = useMe();
  const canVerify = canDo(me.data, 'audit:verify');
  const verify = useVerifyAuditChain();
  const [status, setStatus] = useState('');

  function runVerification() {
    setStatus('');
    verify.mutate(undefined, {
      onSuccess: ({ verification: v }) =>
        setStatus(v.ok ? `Intact: ${formatCount(v.checked)} events verified.` : `Broken at event ${v.brokenAt ?? '?'}: ${KIND_LABELS[v.kind]}.`),
    });
  }

  const data = integrity.data;
  return (
    <div className="max-w-[1200px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Audit integrity</h1>
        <p role="status" className="text-xs text-muted">{status}</p>
      </div>
      <p className="max-w-3xl text-sm text-muted">
        Every audit event carries the hash of the event before it, computed by the database as it is written. Verifying recomputes
        every hash from the first event on: an event changed, removed or slipped in breaks the chain at that event. Someone who can
        rewrite the whole database could recompute the chain too; only a head copied elsewhere beforehand shows that.
      </p>

      {integrity.isError ? (
        <ErrorPanel title="Could not load the audit chain’s status" error={integrity.error} onRetry={() => void integrity.refetch()} />
      ) : (
        <div className="grid gap-3 lg:grid-cols-2">
          <DetailSection id="chain-head" title="Chain head" aside="the newest event, as the database records it">
            {data ? <HeadView head={data.head} /> : <Placeholder lines={3} />}
          </DetailSection>
          <DetailSection id="last-verification" title="Last verification">
            <div className="space-y-3">
              {!data ? (
                <Placeholder lines={4} />
              ) : data.lastVerification ? (
                <AuditVerificationView record={data.lastVerification} head={data.head} />
              ) : (
                <p className="text-sm text-muted">
                  Never verified.{' '}
                  {canVerify ? 'Verify now to check every event and record the result.' : 'An auditor or an admin can verify it here, or with npm run cli -- audit verify.'}
                </p>
              )}
              {canVerify && (
                <div className="flex flex-wrap items-center gap-2 border-t border-line pt-3">
                  <button type="button" onClick={runVerification} disabled={verify.isPending} className="btn border-accent bg-accent text-white hover:opacity-90 dark:text-canvas">
                    {verify.isPending ? 'Verifying…' : 'Verify now'}
                  </button>
                  <span className="text-xs text-muted" aria-live="polite">
                    {verify.isPending ? 'Reading every event in order; a long record takes a while.' : 'Reads every event; the result is recorded as an audit event.'}
                  </span>
                </div>
              )}
              {verify.isError && <FormError error={verify.error} />}
            </div>
          </DetailSection>
        </div>
      )}

      <DetailSection id="anchor" title="Anchor the head outside the database">
        <div className="max-w-3xl space-y-2 text-sm">
          <p>
            Copy the head regularly to a place the database’s administrators cannot write: a ticket, a write-once bucket, another
            team’s system. Later, the anchored event must still have the anchored hash (the Audit page shows each event’s hash) and
            verification must pass; if either fails, the record was rewritten.
          </p>
          <CommandLine command={HEAD_COMMAND} what="the head command" />
          <p className="text-xs text-muted">From cron, every hour, appending one JSON line per run:</p>
          <CommandLine command={CRON_LINE} what="the cron line" />
          <p className="text-xs text-muted">
            <code className="font-mono">npm run cli -- audit verify</code> exits 1 and names the first broken event when the chain is broken, for monitoring.
          </p>
        </div>
      </DetailSection>
    </div>
  );
}

function HeadView({ head }: { head: TAuditChainHead }) {
  if (head.lastId === null) {
    return <p className="text-sm text-muted">No audit events yet: the chain starts with the first one.</p>;
  }
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-[13px]">
      <dt className="text-muted">Last event</dt>
      <dd><Link href={`/audit?event=${encodeURIComponent(head.lastId)}`} className="font-mono text-accent underline underline-offset-2">{head.lastId}</Link></dd>
      <dt className="text-muted">Hash</dt>
      <dd className="font-mono text-[12.5px] break-all">{head.lastHash}<CopyButton value={head.lastHash} what="head hash" /></dd>
      <dt className="text-muted">Events</dt>
      <dd>{formatCount(head.events)}</dd>
      <dt className="text-muted">As JSON</dt>
      <dd><CopyButton value={JSON.stringify(head)} what="head as JSON" /></dd>
    </dl>
  );
}

function CommandLine({ command, what }: { command: string; what: string }) {
  return (
    <div className="flex items-start gap-1 rounded border border-line bg-sunken px-3 py-2">
      <code className="flex-1 font-mono text-[12.5px] break-all">{command}</code>
      <CopyButton value={command} what={what} />
    </div>
  );
}

function Placeholder({ lines }: { lines: number }) {
  return (
    <div aria-busy className="space-y-2">
      <p className="sr-only">Loading…</p>
      {Array.from({ length: lines }, (_, i) => <div key={i} className="h-4 animate-pulse rounded bg-sunken" style={{ width: `${90 - i * 12}%` }} />)}
    </div>
  );
}
