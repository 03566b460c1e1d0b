'use client';

import { useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import type { TMessageDetail } from '@/lib/messages/message-dto';
import { useDestinations } from '../_lib/use-action-targets';
import { useSandboxes } from '../_lib/use-sandboxes';
import { useActionForm } from '../_lib/use-action-form';
import { useSentForApproval } from '../_lib/use-approvals';
import { isPublishing } from '../_lib/use-messages';
import { ActionDialog } from './action-dialog';
import { ActionError } from './action-error';
import { latestRevision, RevisionSelect } from './revision-select';

type TTargetKind = 'origin' | 'queue' | 'exchange' | 'sandbox';
type TReplayBody = {
  version: number;
  revision: number;
  target?: { queue: string } | { exchange: string; routingKey: string };
  sandbox?: string;
  reason?: string;
};

type TChoiceProps = {
  id: string;
  input: InputHTMLAttributes<HTMLInputElement>;
  label: ReactNode;
  hint?: string;
};

/** A radio whose label is its name and whose hint is its description (not part of the name). */
function Choice({ id, input, label, hint }: TChoiceProps) {
  return (
    <div className="flex items-start gap-2 rounded px-1 py-1 has-[:disabled]:opacity-60">
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} className="mt-1" {...input} />
      <div>
        <label htmlFor={id} className="text-sm">{label}</label>
        {hint && <p id={`${id}-hint`} className="text-xs text-muted">{hint}</p>}
      </div>
    </div>
  );
}

export function ReplayDialog({ message, onClose }: { message: TMessageDetail; onClose: () => void }) {
  const id = useId();
  const { sent, onAnswer } = useSentForApproval(onClose);
  const form = useActionForm<TReplayBody>(message, 'replay');
  const destinations = useDestinations();
  const sandboxes = useSandboxes();
  const [kind, setKind] = useState<TTargetKind>(message.origin ? 'origin' : 'queue');
  const [queue, setQueue] = useState('');
  const [exchange, setExchange] = useState('');
  const [routingKey, setRoutingKey] = useState('');
  const [sandbox, setSandbox] = useState('');
  const [revision, setRevision] = useState(latestRevision(message.revisions));
  const sandboxList = sandboxes.data ?? [];

  const ready =
    (kind === 'origin' && message.origin !== null) ||
    (kind === 'queue' && queue.trim() !== '') ||
    (kind === 'exchange' && exchange.trim() !== '') ||
    (kind === 'sandbox' && sandbox !== '');
  const publishing = isPublishing(message.status);

  function submit() {
    const body: TReplayBody = { version: form.version, revision, reason: form.reasonValue };
    if (kind === 'queue') body.target = { queue: queue.trim() };
    if (kind === 'exchange') body.target = { exchange: exchange.trim(), routingKey };
    if (kind === 'sandbox') body.sandbox = sandbox;
    form.mutation.submit(body, { onSuccess: onAnswer });
  }

  const pick = (k: TTargetKind) => ({ type: 'radio' as const, name: `${id}-target`, checked: kind === k, onChange: () => setKind(k) });

  return (
    <ActionDialog
      title="Replay message"
      description={
        <>Publishes the message once more and waits for the broker to confirm. The body and headers are those of the revision you choose.</>
      }
      submitLabel="Replay message"
      onSubmit={submit}
      onClose={onClose}
      isPending={form.mutation.isPending}
      canSubmit={ready && !publishing}
      reason={form.reason}
      onReason={form.setReason}
      error={form.mutation.isError && <ActionError error={form.mutation.error} onReload={() => void form.reload()} isReloading={form.isReloading} />}
      sent={sent}
    >
      <fieldset className="space-y-1">
        <legend className="mb-1 text-xs font-medium text-muted">Send to</legend>
        <Choice
          id={`${id}-origin`}
          input={{ ...pick('origin'), disabled: !message.origin }}
          label={<>Origin queue {message.origin ? <span className="font-mono">({message.origin})</span> : '(unknown)'}</>}
          hint={
            message.origin
              ? 'The queue it died in, through the default exchange: no other bound queue gets a copy.'
              : 'Unknown: the death headers could not be read when it arrived. Choose another target.'
          }
        />
        <Choice id={`${id}-other-queue`} input={pick('queue')} label="Another queue" />
        {kind === 'queue' && (
          <div className="ml-7 flex flex-col gap-1">
            <label htmlFor={`${id}-queue`} className="text-xs font-medium text-muted">Queue</label>
            <input
              id={`${id}-queue`}
              value={queue}
              onChange={(e) => setQueue(e.target.value)}
              list={`${id}-queues`}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              className="field font-mono"
            />
            <datalist id={`${id}-queues`}>
              {destinations.data?.queues.map((q) => <option key={q} value={q} />)}
            </datalist>
          </div>
        )}
        <Choice id={`${id}-exchange-target`} input={pick('exchange')} label="Exchange and routing key" />
        {kind === 'exchange' && (
          <div className="ml-7 grid grid-cols-2 gap-2">
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-exchange`} className="text-xs font-medium text-muted">Exchange</label>
              <input
                id={`${id}-exchange`}
                value={exchange}
                onChange={(e) => setExchange(e.target.value)}
                list={`${id}-exchanges`}
                autoComplete="off"
                spellCheck={false}
                autoFocus
                className="field font-mono"
              />
              <datalist id={`${id}-exchanges`}>
                {destinations.data?.exchanges.map((x) => <option key={x} value={x} />)}
              </datalist>
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-routing-key`} className="text-xs font-medium text-muted">Routing key</label>
              <input id={`${id}-routing-key`} value={routingKey} onChange={(e) => setRoutingKey(e.target.value)} autoComplete="off" spellCheck={false} className="field font-mono" />
            </div>
            <p className="col-span-2 text-xs text-muted">An exchange that fans out delivers a copy to every queue bound to it.</p>
          </div>
        )}
        {sandboxList.length > 0 && (
          <>
            <Choice id={`${id}-sandbox-target`} input={pick('sandbox')} label="Sandbox" hint="A test broker: the message status does not change." />
            {kind === 'sandbox' && (
              <div className="ml-7 flex flex-col gap-1">
                <label htmlFor={`${id}-sandbox`} className="text-xs font-medium text-muted">Sandbox</label>
                <select id={`${id}-sandbox`} value={sandbox} onChange={(e) => setSandbox(e.target.value)} className="field">
                  <option value="" disabled>Choose a sandbox…</option>
                  {sandboxList.map((s) => <option key={s.id} value={s.name}>{s.name}</option>)}
                </select>
              </div>
            )}
          </>
        )}
      </fieldset>
      <RevisionSelect id={`${id}-revision`} label="Revision" revisions={message.revisions} value={revision} onChange={setRevision} />
      {publishing && <p role="status" className="text-[13px] text-amber-800 dark:text-amber-300">A publish of this message is in flight; wait for its outcome.</p>}
    </ActionDialog>
  );
}
