import Link from 'next/link';
import type { TApprovalDetail } from '@/lib/approvals/approval-dto';

/** What the execution did: how many succeeded, and each failure with the action's reason. */
export function ApprovalResult({ approval }: { approval: TApprovalDetail }) {
  const result = approval.result;
  if (!result) return null;
  return (
    <div className="space-y-1">
      <p>
        {result.succeeded.length} of {approval.messageCount} done
        {result.failed.length > 0 && <span className="font-medium text-red-800 dark:text-red-300">, {result.failed.length} failed</span>}
      </p>
      {result.failed.length > 0 && (
        <ul aria-label="Failed messages" className="max-h-48 list-disc space-y-0.5 overflow-y-auto pl-5 text-[13px]">
          {result.failed.map((f) => (
            <li key={f.messageId}>
              <Link href={`/messages/${f.messageId}`} className="font-mono text-accent hover:underline">#{f.messageId}</Link>: {f.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
