'use client';

import { useId, useState } from 'react';
import type { TUser } from '@/lib/users/user-dto';
import { useSetPassword } from '../_lib/use-users';
import { AdminDialog } from './admin-dialog';
import { FormError } from './form-error';

/** Sets a user's password; their sessions end, so whoever knew the old one is out. */
export function PasswordDialog({ user, onDone, onClose }: { user: TUser; onDone: (message: string) => void; onClose: () => void }) {
  const id = useId();
  const save = useSetPassword();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again.length > 0 && again !== password;

  return (
    <AdminDialog
      title={`Set the password of ${user.email}`}
      description="Every session of this user ends at its next request; they sign in again with the new password."
      submitLabel="Set password"
      tone="danger"
      onSubmit={() => save.mutate({ id: user.id, password }, { onSuccess: () => onDone(`Set the password of ${user.email}; their sessions are ended.`) })}
      onClose={onClose}
      isPending={save.isPending}
      canSubmit={password.length > 0 && password === again}
      error={(mismatch || save.isError) && <FormError error={mismatch ? new Error('The two passwords differ.') : save.error} />}
    >
      {(['new', 'again'] as const).map((which) => (
        <div key={which} className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-${which}`} className="text-xs font-medium text-muted">{which === 'new' ? 'New password' : 'New password again'}</label>
          <input
            id={`${id}-${which}`}
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            value={which === 'new' ? password : again}
            onChange={(e) => (which === 'new' ? setPassword : setAgain)(e.target.value)}
            className="field w-full"
          />
        </div>
      ))}
      <p className="text-[11px] text-muted">At least 12 characters.</p>
    </AdminDialog>
  );
}
