'use client';

import Link from 'next/link';
import { useState } from 'react';
import { MATCH_KIND_LABELS, type TOwnershipRule } from '@/lib/ownership/ownership-rule-dto';
import { formatCount } from '../_lib/format';
import { useDeleteOwnershipRule, useOwnershipRules, usePatchOwnershipRule } from '../_lib/use-ownership-rules';
import { AdminTable } from './admin-table';
import { DeleteButton } from './delete-button';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { OwnershipRuleDialog } from './ownership-rule-dialog';

const td = 'px-2 py-1.5 align-middle';
const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';
const small = 'btn h-7 px-2 text-xs';

/** The rules in the order they are tried, with what they tagged; add, edit, move, switch off, delete. */
export function OwnershipRulesScreen() {
  const rules = useOwnershipRules();
  const patch = usePatchOwnershipRule();
  const remove = useDeleteOwnershipRule();
  const [editing, setEditing] = useState<TOwnershipRule | 'new' | null>(null);
  const [status, setStatus] = useState('');
  const failed = patch.isError ? patch.error : remove.isError ? remove.error : null;
  const busy = (id: string) => (patch.isPending && patch.variables?.id === id) || (remove.isPending && remove.variables === id);

  function move(rule: TOwnershipRule, by: -1 | 1) {
    setStatus('');
    patch.mutate({ id: rule.id, changes: { position: rule.position + by } }, { onSuccess: () => setStatus(`Moved the ${rule.teamName} rule to position ${rule.position + by}.`) });
  }
  function toggle(rule: TOwnershipRule) {
    setStatus('');
    patch.mutate({ id: rule.id, changes: { enabled: !rule.enabled } }, { onSuccess: () => setStatus(`${rule.enabled ? 'Disabled' : 'Enabled'} rule ${rule.position} (${rule.teamName}).`) });
  }

  const columns = ['#', 'Team', 'Matches', 'Pattern', 'Tagged', 'State', 'Actions'];
  const count = rules.data?.length ?? 0;
  let content;
  if (rules.isError) {
    content = <ErrorPanel title="Could not load ownership rules" error={rules.error} onRetry={() => void rules.refetch()} />;
  } else if (count === 0 && rules.data) {
    content = <EmptyPanel title="No ownership rules">New messages get no owning team. Add a rule: by origin queue, routing key, header or a value in a JSON body.</EmptyPanel>;
  } else {
    content = (
      <AdminTable label="Ownership rules" columns={columns} loading={!rules.data} skeletonRows={3}>
        {rules.data?.map((r) => (
          <tr key={r.id} className={`border-b border-line last:border-b-0 ${r.enabled ? '' : 'text-muted'}`}>
            <td className={`${td} w-0 text-right tabular-nums text-muted`}>{r.position}</td>
            <th scope="row" id={`rule-${r.id}`} className={`${td} text-left font-medium whitespace-nowrap`}>{r.teamName}</th>
            <td className={`${td} whitespace-nowrap`}>
              {MATCH_KIND_LABELS[r.matchKind]}
              {r.matchKey && <code className="ml-1.5 font-mono text-[12.5px] break-all">{r.matchKey}</code>}
            </td>
            <td className={`${td} font-mono text-[12.5px] break-all`}>{r.pattern}</td>
            <td className={`${td} whitespace-nowrap tabular-nums`}>
              <Link href={`/messages?owner=${encodeURIComponent(r.teamId)}`} className="text-accent hover:underline" title={`Messages ${r.teamName} owns`}>
                {formatCount(r.tagged)} tagged
              </Link>
            </td>
            <td className={td}>
              {r.enabled ? (
                <span className="inline-flex items-center gap-1.5 text-green-800 dark:text-green-300"><span aria-hidden className="size-1.5 rounded-full bg-green-600 dark:bg-green-400" />enabled</span>
              ) : (
                <span className="text-muted">disabled</span>
              )}
            </td>
            <td className={`${td} w-0 text-right whitespace-nowrap`}>
              <span className="inline-flex items-center gap-1.5">
                <button type="button" className={small} disabled={r.position === 1 || busy(r.id)} onClick={() => move(r, -1)} aria-label={`Move rule ${r.position} (${r.teamName}) up`} title="Move up">↑</button>
                <button type="button" className={small} disabled={r.position === count || busy(r.id)} onClick={() => move(r, 1)} aria-label={`Move rule ${r.position} (${r.teamName}) down`} title="Move down">↓</button>
                <button type="button" className={small} disabled={busy(r.id)} onClick={() => toggle(r)} aria-describedby={`rule-${r.id}`}>{r.enabled ? 'Disable' : 'Enable'}</button>
                <button type="button" className={small} onClick={() => { setStatus(''); setEditing(r); }} aria-describedby={`rule-${r.id}`}>Edit</button>
                <DeleteButton what={`rule ${r.position} (${r.teamName})`} describedBy={`rule-${r.id}`} isPending={remove.isPending && remove.variables === r.id}
                  onConfirm={() => remove.mutate(r.id, { onSuccess: () => setStatus(`Deleted rule ${r.position} (${r.teamName}); the messages it tagged keep their owner.`) })} />
              </span>
            </td>
          </tr>
        ))}
      </AdminTable>
    );
  }

  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Ownership rules</h1>
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      <p className="text-sm text-muted">
        The worker gives each new message the team of the first enabled rule that matches it, in this order. A source with auto-redirect (on the{' '}
        <Link href="/sources" className="text-accent hover:underline">Sources</Link> page) also redirects its new messages to that team, or to every team when no rule
        matches and the source says so. Rules apply to messages as they arrive; preview a rule against stored messages before you save it.
      </p>
      {content}
      {failed && <FormError error={failed} />}
      <div>
        <button type="button" className={primary} onClick={() => { setStatus(''); setEditing('new'); }}>Add rule</button>
      </div>
      {editing && (
        <OwnershipRuleDialog
          rule={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(rule) => {
            setEditing(null);
            setStatus(editing === 'new' ? `Added rule ${rule.position} for ${rule.teamName}.` : `Saved rule ${rule.position} (${rule.teamName}).`);
          }}
        />
      )}
    </div>
  );
}
