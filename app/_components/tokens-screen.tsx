'use client';

import { useState } from 'react';
import { isRole, ROLE_LABELS } from '@/lib/permissions/roles';
import type { TApiToken } from '@/lib/tokens/api-token-dto';
import { formatDateTime, formatRelative } from '../_lib/format';
import { useApiTokens, useRevokeApiToken } from '../_lib/use-api-tokens';
import { canDo, useMe } from '../_lib/use-me';
import { useNow } from '../_lib/use-now';
import { AdminTable } from './admin-table';
import { ConfirmButton } from './confirm-button';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { TokenDialog } from './token-dialog';

const td = 'px-2 py-1.5 align-top';
const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';

export function TokensScreen() {
  const me = useMe();
  const canManage = canDo(me.data, 'tokens:manage');
  const tokens = useApiTokens({ enabled: canManage });
  const revoke = useRevokeApiToken();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState('');

  const columns = ['Name', 'Prefix', 'Role', 'Team', 'Expires', 'Last used', 'Status', 'Actions'];
  let content;
  if (me.data && !canManage) {
    content = <EmptyPanel title="Not for your role">API tokens are managed by admins.</EmptyPanel>;
  } else if (tokens.isError) {
    content = <ErrorPanel title="Could not load tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />;
  } else if (tokens.data?.length === 0) {
    content = <EmptyPanel title="No API tokens">Create one with “New token” for a script or a CI job.</EmptyPanel>;
  } else {
    content = (
      <AdminTable label="API tokens" columns={columns} loading={!tokens.data} skeletonRows={3}>
        {tokens.data?.map((t) => (
          <tr key={t.id} className={`border-b border-line last:border-b-0 ${t.revokedAt || t.expired ? 'text-muted' : ''}`}>
            <th scope="row" id={`token-${t.id}`} className={`${td} text-left font-medium break-all`}>{t.name}</th>
            <td className={`${td} font-mono text-[12.5px] whitespace-nowrap`}>{t.prefix}…</td>
            <td className={`${td} whitespace-nowrap`}>{isRole(t.role) ? ROLE_LABELS[t.role] : t.role}</td>
            <td className={td}>{t.team?.name ?? <span className="text-muted">every queue</span>}</td>
            <td className={`${td} whitespace-nowrap`}>{t.expiresAt ? formatDateTime(t.expiresAt) : <span className="text-muted">never</span>}</td>
            <td className={`${td} whitespace-nowrap`} title={t.lastUsedAt ? formatDateTime(t.lastUsedAt) : undefined}>
              {t.lastUsedAt ? formatRelative(t.lastUsedAt, now) : <span className="text-muted">never</span>}
            </td>
            <td className={`${td} whitespace-nowrap`}><TokenStatus token={t} /></td>
            <td className={`${td} w-0 text-right whitespace-nowrap`}>
              {!t.revokedAt && (
                <ConfirmButton
                  label="Revoke"
                  question={`Revoke ${t.name}? Scripts using it stop working.`}
                  describedBy={`token-${t.id}`}
                  isPending={revoke.isPending && revoke.variables === t.id}
                  onConfirm={() => {
                    setStatus('');
                    revoke.mutate(t.id, { onSuccess: () => setStatus(`Revoked token ${t.name}.`) });
                  }}
                />
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    );
  }

  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">API tokens</h1>
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
        {canManage && <button type="button" onClick={() => { setStatus(''); setCreating(true); }} className={`${primary} ml-auto`}>New token</button>}
      </div>
      <p className="text-sm text-muted">
        Bearer tokens for scripts and the HTTP API. Each acts with its role, on every queue or only a team’s; a revoked or expired token is refused at once. The secret is shown only when the token is created.
      </p>
      {content}
      {revoke.isError && <FormError error={revoke.error} />}
      {creating && <TokenDialog onDone={(message) => { setStatus(message); setCreating(false); }} onClose={() => setCreating(false)} />}
    </div>
  );
}

function TokenStatus({ token }: { token: TApiToken }) {
  if (token.revokedAt) return <span title={formatDateTime(token.revokedAt)} className="rounded border border-red-300 px-1.5 text-xs text-red-800 dark:border-red-800 dark:text-red-300">revoked</span>;
  if (token.expired) return <span className="rounded border border-line px-1.5 text-xs">expired</span>;
  return <span className="text-green-800 dark:text-green-300">active</span>;
}
