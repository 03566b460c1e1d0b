'use client';

import { useEffect, useRef, useState } from 'react';

type TProps = {
  /** What is deleted, as the question names it: "team billing". */
  what: string;
  onConfirm: () => void;
  isPending?: boolean;
  /** The id of the element that names the row, so a screen reader hears which one. */
  describedBy?: string;
};

/** "Delete", then "Delete team billing? [Delete] [Cancel]": one more click, never a surprise. */
export function DeleteButton({ what, onConfirm, isPending, describedBy }: TProps) {
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
      <button ref={first} type="button" onClick={() => setAsking(true)} aria-describedby={describedBy} className="btn h-7 px-2 text-xs">
        Delete
      </button>
    );
  }
  return (
    <span
      role="group"
      aria-label={`Delete ${what}?`}
      className="inline-flex items-center gap-1.5"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setAsking(false);
      }}
    >
      <span className="text-xs text-red-800 dark:text-red-300">Delete {what}?</span>
      <button
        type="button"
        autoFocus
        disabled={isPending}
        onClick={onConfirm}
        className="btn h-7 border-transparent bg-red-700 px-2 text-xs text-white hover:bg-red-800 dark:bg-red-600 dark:hover:bg-red-500"
      >
        {isPending ? 'Deleting…' : 'Delete'}
      </button>
      <button type="button" onClick={() => setAsking(false)} className="btn h-7 px-2 text-xs">Cancel</button>
    </span>
  );
}
