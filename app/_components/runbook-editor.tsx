'use client';

import { useId, useState, type FormEvent } from 'react';
import type { TRunbookKind } from '@/lib/groups/runbook-dto';
import { useRemoveRunbook, useSetRunbook } from '../_lib/use-runbooks';
import { FormError } from './form-error';

type TTarget = { kind: TRunbookKind; key: string; label: string; current: string | null };

/** For admins: the runbook URL of this group, or of its origin queue (every group of that queue shows it unless it has its own). */
export function RunbookEditor({ targets }: { targets: TTarget[] }) {
  const id = useId();
  const set = useSetRunbook();
  const remove = useRemoveRunbook();
  const [index, setIndex] = useState(0);
  const target = targets[index]!;
  const [url, setUrl] = useState(target.current ?? '');
  const [status, setStatus] = useState('');

  function choose(i: number) {
    setIndex(i);
    setUrl(targets[i]!.current ?? '');
    set.reset();
    remove.reset();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    set.mutate({ kind: target.kind, key: target.key, url: url.trim() }, { onSuccess: () => setStatus(`Runbook of ${target.label} saved.`) });
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="rounded-md border border-line bg-panel p-3">
      <h2 id={`${id}-title`} className="text-sm font-semibold">Runbook link</h2>
      <div className="mt-2 flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-target`} className="text-xs font-medium text-muted">For</label>
          <select id={`${id}-target`} value={index} onChange={(e) => choose(Number(e.target.value))} className="field pr-1">
            {targets.map((t, i) => <option key={`${t.kind}:${t.key}`} value={i}>{t.label}</option>)}
          </select>
        </div>
        <div className="flex min-w-72 flex-1 flex-col gap-0.5">
          <label htmlFor={`${id}-url`} className="text-xs font-medium text-muted">URL (http or https)</label>
          <input id={`${id}-url`} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://wiki.example.com/runbooks/orders"
            autoComplete="off" spellCheck={false} className="field w-full font-mono placeholder:font-sans" />
        </div>
        <button type="submit" disabled={set.isPending || url.trim() === ''} className="btn h-8">Save runbook</button>
        {target.current && (
          <button type="button" disabled={remove.isPending} className="btn h-8"
            onClick={() => remove.mutate({ kind: target.kind, key: target.key }, { onSuccess: () => { setUrl(''); setStatus(`Runbook of ${target.label} removed.`); } })}>
            Remove runbook
          </button>
        )}
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      {(set.isError || remove.isError) && <div className="mt-2"><FormError error={set.error ?? remove.error} /></div>}
    </form>
  );
}
