'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import type { TMessageDetail } from '@/lib/messages/message-dto';
import { errorMessage } from '../_lib/api-error';
import { describeDestination } from '../_lib/use-action-targets';
import { useTeams } from '../_lib/use-teams';
import { useActionForm } from '../_lib/use-action-form';
import { useSentForApproval } from '../_lib/use-approvals';
import { isPublishing } from '../_lib/use-messages';
import { ActionDialog } from './action-dialog';
import { ActionError } from './action-error';
import { latestRevision, RevisionSelect } from './revision-select';

type TRedirectBody = { version: number; team?: string; allTeams?: true; revision: number; reason?: string };

// Option values are team ids, so no team name can be mistaken for "all".
const ALL = 'all';

export function RedirectDialog({ message, onClose }: { message: TMessageDetail; onClose: () => void }) {
  const id = useId();
  const { sent, onAnswer } = useSentForApproval(onClose);
  const form = useActionForm<TRedirectBody>(message, 'redirect');
  const teams = useTeams();
  const [choice, setChoice] = useState('');
  const [revision, setRevision] = useState(latestRevision(message.revisions));
  const list = teams.data ?? [];
  const chosen = list.find((t) => t.id === choice);

  function submit() {
    const target = choice === ALL ? { allTeams: true as const } : { team: chosen?.name ?? '' };
    form.mutation.submit({ version: form.version, ...target, revision, reason: form.reasonValue }, { onSuccess: onAnswer });
  }

  return (
    <ActionDialog
      title="Redirect message"
      description="Hands the message to the team that owns it: it is published to the team’s destination with headers that say where it came from and why."
      submitLabel="Redirect message"
      onSubmit={submit}
      onClose={onClose}
      isPending={form.mutation.isPending}
      canSubmit={(choice === ALL || chosen !== undefined) && list.length > 0 && !isPublishing(message.status)}
      reason={form.reason}
      onReason={form.setReason}
      error={form.mutation.isError && <ActionError error={form.mutation.error} onReload={() => void form.reload()} isReloading={form.isReloading} />}
      sent={sent}
    >
      {teams.isPending && <p className="text-sm text-muted">Loading teams…</p>}
      {teams.isError && <p role="alert" className="text-sm text-red-800 dark:text-red-300">Could not load the teams: {errorMessage(teams.error)}</p>}
      {teams.isSuccess && list.length === 0 && (
        <p className="rounded border border-line bg-sunken px-3 py-2 text-sm">
          No teams are set up yet, so there is nowhere to redirect to. An admin adds teams and their destinations on the{' '}
          <Link href="/teams" className="text-accent underline">Teams</Link> page.
        </p>
      )}
      {list.length > 0 && (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-team`} className="text-xs font-medium text-muted">Team</label>
          <select id={`${id}-team`} value={choice} onChange={(e) => setChoice(e.target.value)} className="field" autoFocus>
            <option value="" disabled>Choose a team…</option>
            {list.map((t) => (
              <option key={t.id} value={t.id}>{t.name} — {describeDestination(t)}</option>
            ))}
            <option value={ALL}>All teams ({list.length})</option>
          </select>
          {chosen?.contact && <p className="text-xs text-muted">Contact: {chosen.contact}</p>}
          {choice === ALL && (
            <p className="text-xs text-muted">
              One publish per team; the message is redirected when every team’s broker confirms, failed if any publish fails.
            </p>
          )}
        </div>
      )}
      <RevisionSelect id={`${id}-revision`} label="Revision" revisions={message.revisions} value={revision} onChange={setRevision} />
    </ActionDialog>
  );
}
