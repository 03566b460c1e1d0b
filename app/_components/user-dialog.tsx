'use client';

import { useId, useState } from 'react';
import { ROLE_LABELS, ROLES } from '@/lib/permissions/roles';
import type { TUser } from '@/lib/users/user-dto';
import { useTeams } from '../_lib/use-teams';
import { useCreateUser, useUpdateUser, type TUserChanges } from '../_lib/use-users';
import { AdminDialog } from './admin-dialog';
import { FormError } from './form-error';
import { FormField } from './form-field';

type TProps = {
  /** The user being edited; none: a new one (who signs in with a password). */
  user: TUser | null;
  onDone: (message: string) => void;
  onClose: () => void;
};

const label = 'text-xs font-medium text-muted';

/** Creates a user, or changes one's name, role, teams and team scope. */
export function UserDialog({ user, onDone, onClose }: TProps) {
  const id = useId();
  const teams = useTeams();
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState(user?.name ?? '');
  const [role, setRole] = useState(user?.role ?? 'viewer');
  const [teamIds, setTeamIds] = useState<string[]>(user?.teams.map((t) => t.id) ?? []);
  const [teamScoped, setTeamScoped] = useState(user?.teamScoped ?? false);

  function submit() {
    const fields = { name: name.trim() || null, role, teamScoped, teams: teamIds };
    if (!user) {
      create.mutate({ email, password, ...fields }, { onSuccess: ({ user: created }) => onDone(`Created user ${created.email}.`) });
      return;
    }
    // Only what changed, so the audit record says exactly that.
    const changes: TUserChanges = {};
    if (fields.name !== user.name) changes.name = fields.name;
    if (role !== user.role) changes.role = role;
    if (teamScoped !== user.teamScoped) changes.teamScoped = teamScoped;
    const before = user.teams.map((t) => t.id).sort().join();
    if ([...teamIds].sort().join() !== before) changes.teams = teamIds;
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate({ id: user.id, changes }, { onSuccess: ({ user: saved }) => onDone(`Saved user ${saved.email}.`) });
  }

  const toggle = (teamId: string, on: boolean) => setTeamIds((ids) => (on ? [...ids, teamId] : ids.filter((t) => t !== teamId)));
  return (
    <AdminDialog
      title={user ? `Edit ${user.email}` : 'New user'}
      description={user ? 'Changes apply from the user’s next request.' : 'The user signs in with this email and password. Users of single sign-on are created when they first sign in.'}
      submitLabel={user ? 'Save' : 'Create user'}
      onSubmit={submit}
      onClose={onClose}
      isPending={mutation.isPending}
      error={mutation.isError && <FormError error={mutation.error} />}
    >
      {!user && (
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <FormField id={`${id}-email`} label="Email" value={email} onChange={setEmail} required placeholder="ann@example.com" autoComplete="off" />
          <div className="flex flex-col gap-0.5">
            <label htmlFor={`${id}-password`} className={label}>Password<span aria-hidden className="ml-0.5">*</span></label>
            <input
              id={`${id}-password`}
              type="password"
              value={password}
              required
              minLength={12}
              autoComplete="new-password"
              aria-describedby={`${id}-password-hint`}
              onChange={(e) => setPassword(e.target.value)}
              className="field w-full"
            />
            <p id={`${id}-password-hint`} className="text-[11px] text-muted">At least 12 characters.</p>
          </div>
        </div>
      )}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <FormField id={`${id}-name`} label="Name" value={name} onChange={setName} placeholder="optional" />
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-role`} className={label}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value)} className="field">
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
          {user?.authProvider === 'oidc' && <p className="text-[11px] text-muted">The identity provider sets this role again at each sign-in.</p>}
        </div>
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className={label}>Teams</legend>
        {teams.isPending && <p className="text-sm text-muted">Loading teams…</p>}
        {teams.isError && <FormError error={teams.error} />}
        {teams.data?.length === 0 && <p className="text-sm text-muted">No teams yet: add them on the Teams page.</p>}
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {teams.data?.map((t) => (
            <label key={t.id} className="inline-flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={teamIds.includes(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} />
              {t.name}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-1" checked={teamScoped} onChange={(e) => setTeamScoped(e.target.checked)} />
        <span>
          Limit to their teams’ queues
          <span className="block text-xs text-muted">They see and act on only the messages of queues their teams own{teamIds.length === 0 ? ': with no team, none at all' : ''}.</span>
        </span>
      </label>
    </AdminDialog>
  );
}
