'use client';

import { useId, useState, type FormEvent } from 'react';
import { formatDateTime } from '../_lib/format';
import { useHydrated } from '../_lib/use-hydrated';
import { canDo, useMe } from '../_lib/use-me';
import { useSettings, useUpdateSettings } from '../_lib/use-settings';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';

const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';

export function SettingsScreen() {
  const me = useMe();
  const settings = useSettings();
  const canManage = canDo(me.data, 'settings:manage');
  // Here, not in the form: the form is remounted with the saved value.
  const [status, setStatus] = useState('');

  return (
    <div className="max-w-[900px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Settings</h1>
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      <p className="text-sm text-muted">Console-wide settings. Every change is kept in the audit record.</p>
      {settings.isError ? (
        <ErrorPanel title="Could not load the settings" error={settings.error} onRetry={() => void settings.refetch()} />
      ) : !settings.data ? (
        <div aria-busy className="h-28 animate-pulse rounded-md border border-line bg-panel" />
      ) : (
        // Keyed by the saved value, so the form starts from what the server holds after every save.
        <ThresholdForm key={settings.data.updatedAt} threshold={settings.data.approvalThreshold} canManage={canManage} onSaved={setStatus} />
      )}
      {settings.data && (
        <p className="text-xs text-muted">
          Last changed {formatDateTime(settings.data.updatedAt)}{settings.data.updatedBy ? ` by ${settings.data.updatedBy}` : ' (the default)'}.
        </p>
      )}
    </div>
  );
}

function ThresholdForm({ threshold, canManage, onSaved }: { threshold: number; canManage: boolean; onSaved: (message: string) => void }) {
  const id = useId();
  const hydrated = useHydrated();
  const save = useUpdateSettings();
  const [value, setValue] = useState(String(threshold));
  const valid = /^\d+$/.test(value.trim()) && Number(value) >= 1;

  function submit(event: FormEvent) {
    event.preventDefault();
    onSaved('');
    if (!valid) return;
    save.mutate({ approvalThreshold: Number(value.trim()) }, { onSuccess: ({ settings }) => onSaved(`Saved: actions on more than ${settings.approvalThreshold} messages need approval.`) });
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="rounded-md border border-line bg-panel p-3">
      <h2 id={`${id}-title`} className="text-sm font-semibold">Four-eyes approval</h2>
      <p className="mt-0.5 text-xs text-muted">
        A replay, redirect or discard that touches more messages than this, or any message of a protected source, waits until a second person approves it.
      </p>
      <div className="mt-2.5 flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-threshold`} className="text-xs font-medium text-muted">Approval threshold (messages)</label>
          <input
            id={`${id}-threshold`}
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={value}
            readOnly={!canManage}
            disabled={!hydrated || save.isPending}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={!valid}
            className="field w-40 tabular-nums"
          />
        </div>
        {canManage && (
          <button type="submit" disabled={!hydrated || save.isPending || !valid || Number(value) === threshold} aria-busy={save.isPending} className={primary}>Save</button>
        )}
      </div>
      {!valid && <div className="mt-2"><FormError error={new Error('The threshold is a whole number of messages, at least 1.')} /></div>}
      {save.isError && <div className="mt-2"><FormError error={save.error} /></div>}
      {!canManage && <p className="mt-2 text-xs text-muted">Only admins change settings.</p>}
    </form>
  );
}
