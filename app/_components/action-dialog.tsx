'use client';

import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { TSentApproval } from '../_lib/use-approvals';
import { ApprovalSentNotice } from './approval-sent-notice';

type TProps = {
  title: string;
  /** What the action does, in a sentence the operator reads before confirming. */
  description?: ReactNode;
  submitLabel: string;
  onSubmit: () => void;
  onClose: () => void;
  isPending: boolean;
  canSubmit?: boolean;
  tone?: 'default' | 'danger';
  reason: string;
  onReason: (reason: string) => void;
  /** The server's refusal, shown above the buttons. */
  error?: ReactNode;
  /** The action was sent for a second person's approval: the dialog says so instead of asking again. */
  sent?: TSentApproval | null;
  children?: ReactNode;
};

export const REASON_MAX = 1000;

/**
 * A modal <dialog>: the browser traps focus inside it and makes the page behind it inert,
 * Escape closes it, Enter in a single-line field submits, Ctrl/Cmd+Enter submits from the
 * Reason box. It is mounted per opening, so its state (and its Idempotency-Key) is fresh.
 */
export function ActionDialog({ title, description, submitLabel, onSubmit, onClose, isPending, canSubmit = true, tone = 'default', reason, onReason, error, sent, children }: TProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (sent) closeRef.current?.focus();
  }, [sent]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (sent) onClose();
    else if (!isPending && canSubmit) onSubmit();
  }

  function onKeyDown(event: KeyboardEvent) {
    // The detail page leaves for the list on Escape; inside the dialog Escape only closes the dialog.
    if (event.key === 'Escape') event.stopPropagation();
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (!sent && !isPending && canSubmit) onSubmit();
    }
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
      onKeyDown={onKeyDown}
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg border border-line bg-panel p-0 text-fg shadow-xl backdrop:bg-black/50"
    >
      <form onSubmit={submit} className="flex max-h-[85vh] flex-col">
        <div className="border-b border-line px-4 py-3">
          <h2 id={`${id}-title`} className="text-base font-semibold">{title}</h2>
          {description && <div id={`${id}-description`} className="mt-1 text-[13px] text-muted">{description}</div>}
        </div>
        {sent ? (
          <>
            <div className="px-4 py-3"><ApprovalSentNotice approval={sent} /></div>
            <div className="flex justify-end border-t border-line bg-sunken px-4 py-2.5">
              <button ref={closeRef} type="submit" className="btn">Close</button>
            </div>
          </>
        ) : (
          <>
            <div className="space-y-3 overflow-y-auto px-4 py-3">
              {children}
              <div className="flex flex-col gap-1">
                <label htmlFor={`${id}-reason`} className="text-xs font-medium text-muted">
                  Reason <span className="font-normal">(optional, kept in the audit record)</span>
                </label>
                <textarea
                  id={`${id}-reason`}
                  value={reason}
                  onChange={(e) => onReason(e.target.value)}
                  maxLength={REASON_MAX}
                  rows={3}
                  placeholder="Why: ticket, incident, what was fixed"
                  className="rounded border border-line bg-panel px-2 py-1.5 text-sm placeholder:text-muted/70"
                />
              </div>
              {error}
            </div>
            <div className="flex items-center justify-end gap-2 border-t border-line bg-sunken px-4 py-2.5">
              <span className="mr-auto text-[11px] text-muted">
                <kbd className="rounded border border-line bg-panel px-1 font-mono">Esc</kbd> cancel ·{' '}
                <kbd className="rounded border border-line bg-panel px-1 font-mono">Ctrl+Enter</kbd> confirm
              </span>
              <button type="button" onClick={onClose} className="btn">Cancel</button>
              <button
                type="submit"
                disabled={isPending || !canSubmit}
                className={`btn ${tone === 'danger' ? 'border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-600 dark:bg-red-700' : 'border-accent bg-accent text-white hover:opacity-90 dark:text-canvas'}`}
              >
                {submitLabel}
                {isPending && <span aria-hidden className="ml-1 inline-block size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />}
              </button>
            </div>
          </>
        )}
      </form>
    </dialog>
  );
}
