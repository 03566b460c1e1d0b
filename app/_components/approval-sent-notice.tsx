import Link from 'next/link';
import type { TSentApproval } from '../_lib/use-approvals';
import { groundLabel } from './approval-badges';

/** What an action dialog says when the action was not done but sent for a second person's approval. */
export function ApprovalSentNotice({ approval }: { approval: TSentApproval }) {
  return (
    <div role="status" className="space-y-1.5 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100">
      <p className="font-semibold">Sent for approval — a second person must approve it</p>
      <p>
        Nothing was done yet. Because of {approval.grounds.map(groundLabel).join(' and ')}, someone else with the same permission must approve this {approval.kind}; it then runs as you asked.
      </p>
      <p>
        <Link href={`/approvals?id=${encodeURIComponent(approval.id)}`} className="font-medium text-accent underline">Follow the request on the Approvals page</Link>
      </p>
    </div>
  );
}
