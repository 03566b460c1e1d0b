'use client';

import { useState } from 'react';
import { isRole, ROLE_LABELS } from '@/lib/permissions/roles';
import type { TUser } from '@/lib/users/user-dto';
import { formatDateTime } from '../_lib/format';
import { canDo, useMe } from '../_lib/use-me';
import { useUserAction, useUsers, type TUserAction } from '../_lib/use-users';
import { AdminTable } from './admin-table';
import { ConfirmButton } from './confirm-button';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { PasswordDialog } from './password-dialog';
import { UserDialog } from './user-dialog';

const td = 'px-2 py-1.5 align-top';
const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';

type TDialog = { kind: 'new' } | { kind: 'edit'; user: TUser } | { kind: 'password'; user: TUser } | null;

const DONE: Record<TUserAction, (email: string) => string> = {
  disable: (email) => `Disabled ${email}; their sessions end at their next request.`,
  enable: (email) => `Enabled ${email}.`,
  'sign-out': (email) => `Signed ${email} out everywhere.`,
};

export function UsersScreen() {
  const me = useMe();
  const canRead = canDo(me.data, 'users:read');
  const canManage = canDo(me.data, 'users:manage');
  const users = useUsers({ enabled: canRead });
  const action = useUserAction();
  const [dialog, setDialog] = useState<TDialog>(null);
  const [status, setStatus] = useState('');

  const run = (user: TUser, kind: TUserAction) => {
    setStatus('');
    action.mutate({ id: user.id, action: kind }, { onSuccess: () => setStatus(DONE[kind](user.email)) });
  };
  const done = (message: string) => {
    setStatus(message);
    setDialog(null);
  };
  const pending = (user: TUser, kind: TUserAction) => action.isPending && action.variables?.id === user.id && action.variables.action === kind;

  const columns = ['Email', 'Name', 'Role', 'Teams', 'Scoped', 'Sign-in', 'Status', 'Created', ...(canManage ? ['Actions'] : [])];
  let content;
  if (me.data && !canRead) {
    content = <EmptyPanel title="Not for your role">Users are listed for admins and auditors.</EmptyPanel>;
  } else if (users.isError) {
    content = <ErrorPanel title="Could not load users" error={users.error} onRetry={() => void users.refetch()} />;
  } else if (users.data?.length === 0) {
    content = <EmptyPanel title="No users yet">{canManage ? 'Create the first one with “New user”.' : 'An admin creates users here.'}</EmptyPanel>;
  } else {
    content = (
      <AdminTable label="Users" columns={columns} loading={!users.data} skeletonRows={4}>
        {users.data?.map((u) => (
          <tr key={u.id} className={`border-b border-line last:border-b-0 ${u.disabled ? 'text-muted' : ''}`}>
            <th scope="row" id={`user-${u.id}`} className={`${td} text-left font-medium break-all`}>{u.email}</th>
            <td className={td}>{u.name ?? <span className="text-muted">–</span>}</td>
            <td className={`${td} whitespace-nowrap`}>{isRole(u.role) ? ROLE_LABELS[u.role] : u.role}</td>
            <td className={td}>{u.teams.length ? u.teams.map((t) => t.name).join(', ') : <span className="text-muted">–</span>}</td>
            <td className={td}>{u.teamScoped ? 'yes' : <span className="text-muted">no</span>}</td>
            <td className={`${td} whitespace-nowrap`}>{u.authProvider === 'oidc' ? 'single sign-on' : 'password'}</td>
            <td className={`${td} whitespace-nowrap`}>
              {u.disabled
                ? <span className="rounded border border-red-300 px-1.5 text-xs text-red-800 dark:border-red-800 dark:text-red-300">disabled</span>
                : <span className="text-green-800 dark:text-green-300">enabled</span>}
            </td>
            <td className={`${td} whitespace-nowrap text-muted`}>{formatDateTime(u.createdAt)}</td>
            {canManage && (
              <td className={`${td} w-0 text-right whitespace-nowrap`}>
                <span className="inline-flex items-center gap-1.5">
                  <button type="button" onClick={() => setDialog({ kind: 'edit', user: u })} aria-describedby={`user-${u.id}`} className="btn h-7 px-2 text-xs">Edit</button>
                  {u.authProvider === 'credentials' && (
                    <button type="button" onClick={() => setDialog({ kind: 'password', user: u })} aria-describedby={`user-${u.id}`} className="btn h-7 px-2 text-xs">Password</button>
                  )}
                  <ConfirmButton
                    label="Sign out everywhere"
                    question={`End every session of ${u.email}?`}
                    confirmLabel="Sign out"
                    describedBy={`user-${u.id}`}
                    isPending={pending(u, 'sign-out')}
                    onConfirm={() => run(u, 'sign-out')}
                  />
                  {u.disabled ? (
                    <button type="button" disabled={pending(u, 'enable')} onClick={() => run(u, 'enable')} aria-describedby={`user-${u.id}`} className="btn h-7 px-2 text-xs">Enable</button>
                  ) : (
                    <ConfirmButton
                      key="disable"
                      label="Disable"
                      question={`Disable ${u.email}?`}
                      describedBy={`user-${u.id}`}
                      isPending={pending(u, 'disable')}
                      onConfirm={() => run(u, 'disable')}
                    />
                  )}
                </span>
              </td>
            )}
          </tr>
        ))}
      </AdminTable>
    );
  }

  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Users</h1>
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
        {canManage && <button type="button" onClick={() => { setStatus(''); setDialog({ kind: 'new' }); }} className={`${primary} ml-auto`}>New user</button>}
      </div>
      <p className="text-sm text-muted">
        Who may sign in, with which role, and in which teams. A user limited to their teams sees only the messages of queues those teams own. Changes take effect at the user’s next request; disabling or signing out ends every session they hold.
      </p>
      {content}
      {action.isError && <FormError error={action.error} />}
      {dialog?.kind === 'new' && <UserDialog user={null} onDone={done} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <UserDialog user={dialog.user} onDone={done} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'password' && <PasswordDialog user={dialog.user} onDone={done} onClose={() => setDialog(null)} />}
    </div>
  );
}
