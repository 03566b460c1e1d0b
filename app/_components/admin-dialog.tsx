'use client';

import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

type TProps = {
  title: string;
  description?: ReactNode;
  /** No submit button when absent: the dialog only shows something (a new token) and closes. */
  submitLabel?: string;
  onSubmit?: () => void;
  onClose: () => void;
  isPending?: boolean;
  canSubmit?: boolean;
  tone?: 'default' | 'danger';
  closeLabel?: string;
  /** The server's refusal, shown above the buttons. */
  error?: ReactNode;
  children?: ReactNode;
};

/**
 * The modal <dialog> of the admin pages (users, tokens, teams): the browser traps focus in
 * it and makes the page behind it inert; Escape closes it; Enter in a field submits. It is
 * mounted per opening, so its fields start fresh.
 */
export function AdminDialog({ title, description, submitLabel, onSubmit, onClose, isPending = false, canSubmit = true, tone = 'default', closeLabel = 'Cancel', error, children }: TProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (onSubmit && !isPending && canSubmit) onSubmit();
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg border border-line bg-panel p-0 text-fg shadow-xl backdrop:bg-black/50"
    >
      <form onSubmit={submit} className="flex max-h-[85vh] flex-col">
        <div className="border-b border-line px-4 py-3">
          <h2 id={`${id}-title`} className="text-base font-semibold">{title}</h2>
          {description && <div id={`${id}-description`} className="mt-1 text-[13px] text-muted">{description}</div>}
        </div>
        <fieldset disabled={isPending} className="space-y-3 overflow-y-auto px-4 py-3">
          {children}
          {error}
        </fieldset>
        <div className="flex items-center justify-end gap-2 border-t border-line bg-sunken px-4 py-2.5">
          <button type="button" onClick={onClose} className="btn">{closeLabel}</button>
          {submitLabel && (
            <button
              type="submit"
              disabled={isPending || !canSubmit}
              aria-busy={isPending}
              className={`btn ${tone === 'danger' ? 'border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-600 dark:bg-red-700' : 'border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500'}`}
            >
              {submitLabel}
              {isPending && <span aria-hidden className="ml-1 inline-block size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
