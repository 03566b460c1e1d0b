'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import type { TApprovalDetail } from '@/lib/approvals/approval-dto';
import { APPROVAL_PERMISSION } from '@/lib/approvals/approval-kinds';
import { isNotFound } from '../_lib/api-error';
import { formatDateTime } from '../_lib/format';
import { shortActor } from '../_lib/timeline-sentence';
import { useApproval, useDecideApproval, type TApprovalDecision } from '../_lib/use-approvals';
import { ApprovalResult } from './approval-result';
import { ApprovalStatus, Grounds } from './approval-badges';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { StatusBadge } from './status-badge';

const dt = 'text-xs text-muted';
const dd = 'mb-2 text-sm break-words';

/** One request: what it would do, why it needs a second person, and what the caller may do about it. */
export function ApprovalPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const query = useApproval(id);
  const a = query.data;
  return (
    <section aria-label="Approval request" className="rounded-md border border-line bg-panel">
      <div className="flex items-center justify-between gap-2 border-b border-line px-3 py-2">
        <h2 className="text-sm font-semibold first-letter:uppercase">{a ? a.description : 'Approval request'}</h2>
        <button type="button" onClick={onClose} className="btn h-7 px-2 text-xs" aria-label="Close the request">Close</button>
      </div>
      <div className="px-3 py-2">
        {query.isPending && <p className="text-sm text-muted">Loading…</p>}
        {query.isError && (isNotFound(query.error)
          ? <p role="alert" className="text-sm">No approval request has this id, or its messages are not your teams’.</p>
          : <ErrorPanel title="Could not load the request" error={query.error} onRetry={() => void query.refetch()} />)}
        {a && <ApprovalFacts approval={a} />}
        {a && <ApprovalDecision key={`${a.status}:${a.executedAt}`} approval={a} />}
      </div>
    </section>
  );
}

function ApprovalFacts({ approval: a }: { approval: TApprovalDetail }) {
  return (
    <dl>
      <dt className={dt}>Status</dt>
      <dd className={dd}><ApprovalStatus approval={a} /></dd>
      <dt className={dt}>Why it needs a second person</dt>
      <dd className={dd}><Grounds grounds={a.grounds} /></dd>
      <dt className={dt}>Requested</dt>
      <dd className={dd}>by {shortActor(a.requestedBy)}{a.mine && ' (you)'}, {formatDateTime(a.requestedAt)}{a.reason && <span className="italic"> — “{a.reason}”</span>}</dd>
      {a.decidedAt && (
        <>
          <dt className={dt}>{a.status === 'cancelled' ? 'Cancelled' : a.status === 'rejected' ? 'Rejected' : 'Approved'}</dt>
          <dd className={dd}>
            by {shortActor(a.decidedBy ?? a.requestedBy)}, {formatDateTime(a.decidedAt)}
            {a.decisionReason && <span className="italic"> — “{a.decisionReason}”</span>}
          </dd>
        </>
      )}
      <dt className={dt}>Messages ({a.messageCount})</dt>
      <dd className={dd}>
        <ul aria-label="Messages of the request" className="max-h-48 space-y-0.5 overflow-y-auto">
          {a.messages.map((m) => (
            <li key={m.id} className="flex items-center gap-2 text-[13px]">
              <Link href={`/messages/${m.id}`} className="font-mono text-accent hover:underline">#{m.id}</Link>
              <span className="truncate font-mono text-xs text-muted">{m.origin ?? m.source}</span>
              <StatusBadge status={m.status} />
            </li>
          ))}
        </ul>
        {a.messageCount > a.messages.length && <p className="text-xs text-muted">and {a.messageCount - a.messages.length} more</p>}
      </dd>
      {a.result && (
        <>
          <dt className={dt}>Result</dt>
          <dd className={dd}><ApprovalResult approval={a} /></dd>
        </>
      )}
    </dl>
  );
}

/** The buttons this caller may use, or why there are none. */
function ApprovalDecision({ approval: a }: { approval: TApprovalDetail }) {
  const id = useId();
  const decide = useDecideApproval(a.id);
  const [reason, setReason] = useState('');
  const [confirmingReject, setConfirmingReject] = useState(false);
  const trimmed = reason.trim();
  const send = (decision: TApprovalDecision) => decide.mutate({ decision, reason: trimmed || undefined });
  const permission = APPROVAL_PERMISSION[a.kind];

  if (a.mine && a.status === 'pending') {
    return (
      <div className="space-y-2 border-t border-line pt-2">
        <p role="status" className="text-sm">Waiting for another person: someone else with the {permission} permission must approve or reject it.</p>
        {a.can.cancel && <button type="button" className="btn" disabled={decide.isPending} onClick={() => send('cancel')}>Cancel request</button>}
        {decide.isError && <FormError error={decide.error} />}
      </div>
    );
  }
  if (!a.can.approve && !a.can.reject && !a.can.cancel && !a.can.resume) {
    if (a.status !== 'pending') return null;
    return <p className="border-t border-line pt-2 text-xs text-muted">Deciding needs the {permission} permission, which your role does not have.</p>;
  }
  return (
    <div className="space-y-2 border-t border-line pt-2">
      {(a.can.approve || a.can.reject || a.can.resume) && (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-reason`} className="text-xs font-medium text-muted">
            Reason <span className="font-normal">{confirmingReject ? '(required to reject)' : '(optional to approve, required to reject)'}</span>
          </label>
          <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={2} className="rounded border border-line bg-panel px-2 py-1.5 text-sm" />
        </div>
      )}
      {a.can.resume && <p className="text-xs text-muted">Approved, but the run did not finish (or is still running). Resuming runs the messages not done yet; none is acted on twice.</p>}
      <div className="flex flex-wrap items-center gap-2">
        {a.can.approve && (
          <button type="button" className="btn border-accent bg-accent text-white hover:opacity-90 dark:text-canvas" disabled={decide.isPending} onClick={() => send('approve')}>
            Approve and run
          </button>
        )}
        {a.can.resume && <button type="button" className="btn" disabled={decide.isPending} onClick={() => send('approve')}>Resume</button>}
        {a.can.reject && (
          <button
            type="button"
            className="btn text-red-800 dark:text-red-300"
            disabled={decide.isPending || (confirmingReject && !trimmed)}
            onClick={() => (trimmed ? send('reject') : setConfirmingReject(true))}
          >
            Reject
          </button>
        )}
        {a.can.cancel && <button type="button" className="btn" disabled={decide.isPending} onClick={() => send('cancel')}>Cancel request</button>}
        {decide.isPending && <span role="status" className="text-xs text-muted">Working…</span>}
      </div>
      {confirmingReject && !trimmed && <p role="alert" className="text-xs text-red-800 dark:text-red-300">Say why in the reason to reject it.</p>}
      {decide.isError && <FormError error={decide.error} />}
    </div>
  );
}
