'use client';

import { useId, useState } from 'react';
import { ROLE_LABELS, ROLES } from '@/lib/permissions/roles';
import type { TApiToken } from '@/lib/tokens/api-token-dto';
import { useCreateApiToken } from '../_lib/use-api-tokens';
import { useTeams } from '../_lib/use-teams';
import { AdminDialog } from './admin-dialog';
import { CopyButton } from './copy-button';
import { FormError } from './form-error';
import { FormField } from './form-field';

const label = 'text-xs font-medium text-muted';

/**
 * Creates an API token, then shows its secret once, with a copy button: it is stored only
 * as a hash, so closing the dialog is the last chance to copy it.
 */
export function TokenDialog({ onDone, onClose }: { onDone: (message: string) => void; onClose: () => void }) {
  const id = useId();
  const teams = useTeams();
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [team, setTeam] = useState('');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<{ token: TApiToken; secret: string } | null>(null);
  const badDays = days.trim() !== '' && !/^\d+$/.test(days.trim());

  if (created) {
    return (
      <AdminDialog title={`Token ${created.token.name} created`} closeLabel="Done" onClose={() => { onDone(`Created token ${created.token.name}.`); }}>
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-[13px] text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200">
          Copy the token now. It is stored only as a hash and will not be shown again.
        </p>
        <div className="flex items-center gap-1 rounded border border-line bg-sunken px-2 py-1.5">
          <code aria-label="The new token" className="min-w-0 flex-1 font-mono text-[12.5px] break-all select-all">{created.secret}</code>
          <CopyButton value={created.secret} what="the token" />
        </div>
        <p className="text-xs text-muted">
          Send it as <code className="font-mono">Authorization: Bearer …</code>. Role {created.token.role}
          {created.token.team ? `, limited to team ${created.token.team.name}` : ', every queue'}
          {created.token.expiresAt ? `, expires ${created.token.expiresAt.slice(0, 10)}` : ', never expires'}.
        </p>
      </AdminDialog>
    );
  }

  function submit() {
    const expiresInDays = days.trim() === '' ? null : Number(days.trim());
    create.mutate({ name, role, team: team || null, expiresInDays }, { onSuccess: setCreated });
  }

  return (
    <AdminDialog
      title="New API token"
      description="For scripts and CI: the token acts with the role you choose, on every queue or only a team’s."
      submitLabel="Create token"
      onSubmit={submit}
      onClose={onClose}
      isPending={create.isPending}
      canSubmit={!badDays}
      error={(badDays || create.isError) && <FormError error={badDays ? new Error('Expires in: a whole number of days, or empty for never.') : create.error} />}
    >
      <FormField id={`${id}-name`} label="Name" value={name} onChange={setName} required placeholder="ci-deploy" hint="Say what uses it, so it is recognisable when it needs revoking." />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-role`} className={label}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value)} className="field">
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        </div>
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-team`} className={label}>Team</label>
          <select id={`${id}-team`} value={team} onChange={(e) => setTeam(e.target.value)} className="field">
            <option value="">Every queue</option>
            {teams.data?.map((t) => <option key={t.id} value={t.id}>Only {t.name}</option>)}
          </select>
        </div>
        <FormField id={`${id}-days`} label="Expires in (days)" value={days} onChange={setDays} hint="Empty: never" />
      </div>
    </AdminDialog>
  );
}
