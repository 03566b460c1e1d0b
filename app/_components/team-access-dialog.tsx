'use client';

import { useId, useState } from 'react';
import type { TTeam } from '@/lib/teams/team-dto';
import { useSaveTeamAccess } from '../_lib/use-team-access';
import { AdminDialog } from './admin-dialog';
import { FormError } from './form-error';

/** One name per line (or separated by commas), blanks dropped, each once, sorted as the server sorts. */
function toList(text: string): string[] {
  return [...new Set(text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean))].sort();
}

const FIELDS = [
  { key: 'origins', label: 'Origin queues', hint: 'Where its messages died (the x-death queue).', mono: true },
  { key: 'sources', label: 'Sources', hint: 'Dead-letter queues the console consumes.', mono: true },
  { key: 'users', label: 'Members', hint: 'Emails of users in the team.', mono: false },
] as const;

/**
 * What a team owns and who is in it. Its team-scoped members and tokens see only messages
 * whose origin or source queue it owns. A queue has one owner: another team's is refused.
 */
export function TeamAccessDialog({ team, onDone, onClose }: { team: TTeam; onDone: (message: string) => void; onClose: () => void }) {
  const id = useId();
  const save = useSaveTeamAccess();
  const [text, setText] = useState({ origins: team.origins.join('\n'), sources: team.sources.join('\n'), users: team.members.join('\n') });

  return (
    <AdminDialog
      title={`Queues and members of ${team.name}`}
      description="One per line. The lists replace what the team has; changes apply from each member’s next request."
      submitLabel="Save"
      onSubmit={() => save.mutate(
        { team, body: { origins: toList(text.origins), sources: toList(text.sources), users: toList(text.users.toLowerCase()) } },
        { onSuccess: (saved) => onDone(`Saved the queues and members of ${saved.name}.`) },
      )}
      onClose={onClose}
      isPending={save.isPending}
      error={save.isError && <FormError error={save.error} />}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {FIELDS.map((f) => (
          <div key={f.key} className="flex flex-col gap-0.5">
            <label htmlFor={`${id}-${f.key}`} className="text-xs font-medium text-muted">{f.label}</label>
            <textarea
              id={`${id}-${f.key}`}
              rows={6}
              spellCheck={false}
              value={text[f.key]}
              aria-describedby={`${id}-${f.key}-hint`}
              onChange={(e) => setText((t) => ({ ...t, [f.key]: e.target.value }))}
              className={`rounded border border-line bg-panel px-2 py-1.5 text-[13px] ${f.mono ? 'font-mono' : ''}`}
            />
            <p id={`${id}-${f.key}-hint`} className="text-[11px] text-muted">{f.hint}</p>
          </div>
        ))}
      </div>
    </AdminDialog>
  );
}
