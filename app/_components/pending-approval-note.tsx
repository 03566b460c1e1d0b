'use client';

import Link from 'next/link';
import { shortActor } from '../_lib/timeline-sentence';
import { useApprovals } from '../_lib/use-approvals';

/** On a message's page: the requests for it that wait for a second person, each linked. */
export function PendingApprovalNote({ messageId }: { messageId: string }) {
  const pending = useApprovals({ messageId, status: 'pending' });
  const items = pending.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <div role="status" aria-label="Waiting for approval" className="rounded border border-amber-300 bg-amber-50 px-3 py-1.5 text-[13px] text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100">
      {items.map((a) => (
        <p key={a.id}>
          <span className="font-semibold">Waiting for approval:</span> {a.messageCount === 1 ? `a ${a.kind} of this message` : `a ${a.kind} of ${a.messageCount} messages including this one`}, requested by {shortActor(a.requestedBy)}{a.mine && ' (you)'}.{' '}
          <Link href={`/approvals?id=${encodeURIComponent(a.id)}`} className="font-medium text-accent underline">Open the request</Link>
        </p>
      ))}
    </div>
  );
}
