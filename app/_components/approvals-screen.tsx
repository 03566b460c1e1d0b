'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { APPROVAL_STATUSES, type TApprovalStatus } from '@/lib/approvals/approval-kinds';
import { formatDateTime } from '../_lib/format';
import { shortActor } from '../_lib/timeline-sentence';
import { useApprovals } from '../_lib/use-approvals';
import { AdminTable } from './admin-table';
import { ApprovalPanel } from './approval-panel';
import { ApprovalStatus, Grounds } from './approval-badges';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';

const td = 'px-2 py-1.5 align-top';
// State and action first: with the request open beside it, the reason is what scrolls out of view.
const COLUMNS = ['Status', 'Action', 'Messages', 'Grounds', 'Requested by', 'Requested', 'Reason'];

/**
 * Four-eyes requests, those waiting for a decision first, then newest first. Opening one
 * (?id=) shows it beside the list with what the caller may do about it.
 */
export function ApprovalsScreen() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const openId = params.get('id');
  const statusParam = params.get('status') ?? '';
  const status = (APPROVAL_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as TApprovalStatus) : '';
  const approvals = useApprovals({ status });
  const items = useMemo(() => {
    const list = approvals.data?.items ?? [];
    return [...list.filter((a) => a.status === 'pending'), ...list.filter((a) => a.status !== 'pending')];
  }, [approvals.data]);

  function setParam(name: string, value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }

  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-2">
        <h1 className="text-base font-semibold">Approvals</h1>
        <label className="flex items-center gap-2 text-xs text-muted">
          Status
          <select value={status} onChange={(e) => setParam('status', e.target.value || null)} className="field h-7 text-sm">
            <option value="">All</option>
            {APPROVAL_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </div>
      <p className="text-sm text-muted">
        A replay, redirect or discard of more messages than the approval threshold, or of a protected source’s messages, waits here until a second person with the same permission approves it. Then it runs, once, as the person who asked.
      </p>
      <div className={`grid items-start gap-3 ${openId ? 'xl:grid-cols-[minmax(0,1fr)_28rem]' : ''}`}>
        <div className="min-w-0">
          {approvals.isError ? (
            <ErrorPanel title="Could not load the approval requests" error={approvals.error} onRetry={() => void approvals.refetch()} />
          ) : approvals.data && items.length === 0 ? (
            <EmptyPanel title={status ? `No ${status} requests` : 'No approval requests yet'}>
              Actions that need a second person show up here when someone asks for one.
            </EmptyPanel>
          ) : (
            <AdminTable label="Approval requests" columns={COLUMNS} loading={!approvals.data} skeletonRows={4}>
              {items.map((a) => (
                <tr key={a.id} data-approval-id={a.id} className={`border-b border-line last:border-b-0 ${openId === a.id ? 'bg-selected' : ''}`}>
                  <td className={td}><ApprovalStatus approval={a} /></td>
                  <th scope="row" className={`${td} text-left font-medium`}>
                    <button type="button" onClick={() => setParam('id', a.id)} aria-current={openId === a.id ? 'true' : undefined} className="text-left text-accent hover:underline">
                      {a.kind}
                    </button>
                  </th>
                  <td className={`${td} tabular-nums`}>{a.messageCount}</td>
                  <td className={td}><Grounds grounds={a.grounds} /></td>
                  <td className={td}><Actor label={a.requestedBy} />{a.mine && <span className="ml-1 text-muted">(you)</span>}</td>
                  <td className={`${td} whitespace-nowrap text-muted`}>{formatDateTime(a.requestedAt)}</td>
                  <td className={`${td} max-w-[18rem] break-words`}>{a.reason ?? <span className="text-muted">–</span>}</td>
                </tr>
              ))}
            </AdminTable>
          )}
        </div>
        {openId && <ApprovalPanel key={openId} id={openId} onClose={() => setParam('id', null)} />}
      </div>
    </div>
  );
}

/** An email may break after its @, never inside a word. */
function Actor({ label }: { label: string }) {
  const name = shortActor(label);
  const at = name.indexOf('@');
  if (at < 0) return <span className="break-words">{name}</span>;
  return <span>{name.slice(0, at + 1)}<wbr />{name.slice(at + 1)}</span>;
}
