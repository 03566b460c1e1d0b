'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import type { TTeam } from '@/lib/teams/team-dto';
import { useHydrated } from '../_lib/use-hydrated';
import { useSaveTeam, type TTeamBody } from '../_lib/use-teams';
import { FormError } from './form-error';
import { FormField } from './form-field';

type TProps = {
  /** The team being edited; none: a new one. */
  team: TTeam | null;
  onDone: (message: string) => void;
  onCancel: () => void;
};

const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';

/** Adds a team, or edits one: a name, a destination (a queue, or an exchange and routing key) and a contact. */
export function TeamForm({ team, onDone, onCancel }: TProps) {
  const id = useId();
  const hydrated = useHydrated();
  const save = useSaveTeam();
  const nameRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(team?.name ?? '');
  const [queue, setQueue] = useState(team?.queue ?? '');
  const [exchange, setExchange] = useState(team?.exchange ?? '');
  const [routingKey, setRoutingKey] = useState(team?.routingKey ?? '');
  const [contact, setContact] = useState(team?.contact ?? '');
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = queue.trim();
    const x = exchange.trim();
    // Said here rather than after a round trip; the server checks the same.
    if (q && (x || routingKey.trim())) return setProblem('Fill in a queue, or an exchange and routing key: not both.');
    if (!q && !x) return setProblem('Fill in a queue, or an exchange and routing key.');
    setProblem(null);
    // An empty routing key with an exchange is meaningful: a fanout exchange ignores it.
    const body: TTeamBody = { name, queue: q || null, exchange: x || null, routingKey: x ? routingKey : null, contact: contact.trim() || null };
    save.mutate({ id: team?.id, body }, {
      onSuccess: ({ team: saved }) => {
        if (!team) {
          for (const reset of [setName, setQueue, setExchange, setRoutingKey, setContact]) reset('');
          nameRef.current?.focus();
        }
        onDone(team ? `Saved team ${saved.name}.` : `Added team ${saved.name}.`);
      },
    });
  }

  return (
    <form
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && team) onCancel();
      }}
      className="rounded-md border border-line bg-panel p-3"
    >
      <h2 id={`${id}-title`} className="text-sm font-semibold">{team ? `Edit team ${team.name}` : 'Add a team'}</h2>
      <p className="mt-0.5 text-xs text-muted">
        A redirect publishes the message to the team’s queue (through the default exchange), or to its exchange with the routing key.
      </p>
      <fieldset disabled={!hydrated || save.isPending} className="mt-2.5 grid grid-cols-1 gap-x-3 gap-y-2 sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.2fr)_auto_minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,1.2fr)]">
        <FormField id={`${id}-name`} label="Name" value={name} onChange={setName} required inputRef={nameRef} placeholder="billing" />
        <FormField id={`${id}-queue`} label="Queue" value={queue} onChange={setQueue} mono placeholder="billing.dead-letters" />
        <span aria-hidden className="hidden self-center pt-4 text-xs text-muted lg:block">or</span>
        <FormField id={`${id}-exchange`} label="Exchange" value={exchange} onChange={setExchange} mono placeholder="billing.events" />
        <FormField id={`${id}-routing-key`} label="Routing key" value={routingKey} onChange={setRoutingKey} mono hint="Empty for a fanout exchange" />
        <FormField id={`${id}-contact`} label="Contact" value={contact} onChange={setContact} placeholder="#billing-oncall or a person" />
      </fieldset>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <button type="submit" disabled={!hydrated || save.isPending} aria-busy={save.isPending} className={primary}>
          {team ? 'Save' : 'Add team'}
        </button>
        {team && <button type="button" onClick={onCancel} className="btn">Cancel</button>}
        {save.isPending && <span className="text-xs text-muted">Saving…</span>}
      </div>
      {(problem || save.isError) && <div className="mt-2"><FormError error={problem ? new Error(problem) : save.error} /></div>}
    </form>
  );
}
