'use client';

import { useEffect, useRef, useState } from 'react';

type TProps = {
  label: string;
  /** The question asked in the row: "Disable ann@example.com?". */
  question: string;
  /** The confirming button; the label by default. */
  confirmLabel?: string;
  pendingLabel?: string;
  onConfirm: () => void;
  isPending?: boolean;
  /** The id of the element that names the row, so a screen reader hears which one. */
  describedBy?: string;
  tone?: 'danger' | 'default';
};

/** A row action that asks once more in place ("Disable", then "Disable ann@…? [Disable] [Cancel]"), like DeleteButton. */
export function ConfirmButton({ label, question, confirmLabel = label, pendingLabel = 'Working…', onConfirm, isPending, describedBy, tone = 'danger' }: TProps) {
  const [asking, setAsking] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  // Cancelling puts focus back where it was.
  useEffect(() => {
    if (wasAsking.current && !asking) first.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button ref={first} type="button" disabled={isPending} onClick={() => setAsking(true)} aria-describedby={describedBy} className="btn h-7 px-2 text-xs">
        {isPending ? pendingLabel : label}
      </button>
    );
  }
  const danger = tone === 'danger';
  return (
    <span
      role="group"
      aria-label={question}
      className="inline-flex items-center gap-1.5"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setAsking(false);
      }}
    >
      <span className={`text-xs ${danger ? 'text-red-800 dark:text-red-300' : 'text-muted'}`}>{question}</span>
      <button
        type="button"
        autoFocus
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
        className={`btn h-7 px-2 text-xs ${danger ? 'border-transparent bg-red-700 text-white hover:bg-red-800 dark:bg-red-600 dark:hover:bg-red-500' : ''}`}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)} className="btn h-7 px-2 text-xs">Cancel</button>
    </span>
  );
}
