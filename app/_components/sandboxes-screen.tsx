'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { formatDateTime } from '../_lib/format';
import { canDo, useMe } from '../_lib/use-me';
import { useCreateSandbox, useDeleteSandbox, useSandboxes } from '../_lib/use-sandboxes';
import { useHydrated } from '../_lib/use-hydrated';
import { DeleteButton } from './delete-button';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { FormField } from './form-field';
import { AdminTable } from './admin-table';
import { EmptyPanel } from './empty-panel';

const td = 'px-2 py-1.5 align-top';
const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';

export function SandboxesScreen() {
  const me = useMe();
  const canManage = canDo(me.data, 'sandboxes:manage');
  // Operators may list them (they pick one when replaying); viewers may not.
  const canList = canManage || canDo(me.data, 'messages:replay');
  const sandboxes = useSandboxes({ enabled: canList });
  const remove = useDeleteSandbox();
  const [status, setStatus] = useState('');

  const columns = ['Name', 'URL', 'Created', ...(canManage ? ['Actions'] : [])];
  let content;
  if (me.data && !canList) {
    content = <p className="rounded-md border border-line bg-panel px-4 py-6 text-center text-sm text-muted">Sandboxes are for operators who replay messages and admins who manage them.</p>;
  } else if (sandboxes.isError) {
    content = <ErrorPanel title="Could not load sandboxes" error={sandboxes.error} onRetry={() => void sandboxes.refetch()} />;
  } else if (sandboxes.data?.length === 0) {
    content = (
      <EmptyPanel title="No sandboxes yet">{canManage ? 'Add one below: a name and the broker URL to replay to.' : 'An admin adds sandboxes here.'}</EmptyPanel>
    );
  } else {
    content = (
      <AdminTable label="Sandboxes" columns={columns} loading={!sandboxes.data} skeletonRows={2}>
            {sandboxes.data?.map((s) => (
              <tr key={s.id} className="border-b border-line last:border-b-0">
                <th scope="row" id={`sandbox-${s.id}`} className={`${td} text-left font-medium`}>{s.name}</th>
                <td className={`${td} font-mono text-[12.5px] break-all`}>{s.url}</td>
                <td className={`${td} whitespace-nowrap text-muted`}>{formatDateTime(s.createdAt)}</td>
                {canManage && (
                  <td className={`${td} w-0 text-right whitespace-nowrap`}>
                    <DeleteButton
                      what={`sandbox ${s.name}`}
                      describedBy={`sandbox-${s.id}`}
                      isPending={remove.isPending && remove.variables === s.id}
                      onConfirm={() => remove.mutate(s.id, { onSuccess: () => setStatus(`Deleted sandbox ${s.name}.`) })}
                    />
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
        <h1 className="text-base font-semibold">Sandboxes</h1>
        {/* What the last change did, where it is seen and heard whichever form made it. */}
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      <p className="text-sm text-muted">
        Brokers (or other virtual hosts) where an operator can replay a message to try a fix before it goes back to its origin. A sandbox replay never changes the message’s status. Passwords are stored for the worker and never shown.
      </p>
      {content}
      {remove.isError && <FormError error={remove.error} />}
      {canManage && <SandboxForm onDone={setStatus} />}
    </div>
  );
}

function SandboxForm({ onDone }: { onDone: (message: string) => void }) {
  const id = useId();
  const hydrated = useHydrated();
  const create = useCreateSandbox();
  const nameRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name, url }, {
      onSuccess: ({ sandbox }) => {
        setName('');
        setUrl('');
        nameRef.current?.focus();
        onDone(`Added sandbox ${sandbox.name}.`);
      },
    });
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="rounded-md border border-line bg-panel p-3">
      <h2 id={`${id}-title`} className="text-sm font-semibold">Add a sandbox</h2>
      <fieldset disabled={!hydrated || create.isPending} className="mt-2.5 grid grid-cols-1 gap-x-3 gap-y-2 sm:grid-cols-[minmax(0,1fr)_minmax(0,3fr)]">
        <FormField id={`${id}-name`} label="Name" value={name} onChange={setName} required inputRef={nameRef} placeholder="staging" />
        <FormField
          id={`${id}-url`}
          label="URL"
          value={url}
          onChange={setUrl}
          required
          mono
          placeholder="amqps://user:password@broker.example.com:5671/vhost"
          hint="amqp:// or amqps://; encode a vhost with a slash as %2F. The password is never shown again."
        />
      </fieldset>
      <div className="mt-3 flex items-center gap-2">
        <button type="submit" disabled={!hydrated || create.isPending} aria-busy={create.isPending} className={primary}>Add sandbox</button>
        {create.isPending && <span className="text-xs text-muted">Saving…</span>}
      </div>
      {create.isError && <div className="mt-2"><FormError error={create.error} /></div>}
    </form>
  );
}
