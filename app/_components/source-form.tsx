'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { useHydrated } from '../_lib/use-hydrated';
import { useAddSource } from '../_lib/use-source-changes';
import { FormError } from './form-error';
import { FormField } from './form-field';

const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';

/** Adds a dead-letter queue to consume; a running worker picks it up within seconds. */
export function SourceForm({ onDone }: { onDone: (message: string) => void }) {
  const id = useId();
  const hydrated = useHydrated();
  const add = useAddSource();
  const queueRef = useRef<HTMLInputElement>(null);
  const [queue, setQueue] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(queue, {
      onSuccess: ({ source }) => {
        setQueue('');
        queueRef.current?.focus();
        onDone(`Added source ${source.queue}; the worker starts consuming it within seconds.`);
      },
    });
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="rounded-md border border-line bg-panel p-3">
      <h2 id={`${id}-title`} className="text-sm font-semibold">Add a source</h2>
      <div className="mt-2.5 flex flex-wrap items-end gap-2">
        <FormField
          id={`${id}-queue`}
          label="Queue"
          value={queue}
          onChange={setQueue}
          required
          mono
          inputRef={queueRef}
          placeholder="orders.dead-letters"
          className="min-w-64 flex-1"
          hint="A dead-letter queue that exists on the broker; an error in the table names one that does not."
        />
        <button type="submit" disabled={!hydrated || add.isPending} aria-busy={add.isPending} className={`${primary} mb-4`}>Add source</button>
      </div>
      {add.isError && <div className="mt-2"><FormError error={add.error} /></div>}
    </form>
  );
}
