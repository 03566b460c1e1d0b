'use client';

import { useEffect, useRef, useState, type ReactNode, type Ref } from 'react';

type TProps = {
  id: string;
  label: string;
  value: string;
  onCommit: (value: string) => void;
  /** Typed text is committed after a pause only when this says it is ready (Enter always commits). */
  isReady?: (draft: string) => boolean;
  placeholder?: string;
  /** Shown beside the label and announced with the input. */
  hint?: ReactNode;
  className?: string;
  inputRef?: Ref<HTMLInputElement>;
  onDraft?: (draft: string) => void;
  /** Why the API refused the committed value: shown under the input, which is marked invalid. */
  error?: string | null;
  /** Beside the label, after the hint (a help button). */
  extra?: ReactNode;
};

const DEBOUNCE_MS = 400;
const alwaysReady = () => true;

export function TextFilter({ id, label, value, onCommit, isReady = alwaysReady, placeholder, hint, className, inputRef, onDraft, error, extra }: TProps) {
  const [draft, setDraft] = useState(value);
  const committed = useRef(value);

  // A change from outside (Clear filters, a chip, back/forward) replaces what is typed.
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setDraft(value);
      onDraft?.(value);
    }
  }, [value, onDraft]);

  useEffect(() => {
    const trimmed = draft.trim();
    if (trimmed === committed.current || !isReady(trimmed)) return;
    const timer = setTimeout(() => {
      // Enter or an outside change may have happened since this timer started.
      if (trimmed === committed.current) return;
      committed.current = trimmed;
      onCommit(trimmed);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, isReady, onCommit]);

  return (
    <div className="flex flex-col gap-0.5">
      <div className="flex h-4 items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-xs font-medium text-muted">{label}</label>
        {(hint || extra) && (
          <span className="flex items-baseline gap-1.5 leading-4">
            {hint && <span id={`${id}-hint`} className="text-[11px]">{hint}</span>}
            {extra}
          </span>
        )}
      </div>
      <input
        id={id}
        ref={inputRef}
        type="text"
        value={draft}
        placeholder={placeholder}
        aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          setDraft(e.target.value);
          onDraft?.(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          committed.current = draft.trim();
          onCommit(draft.trim());
        }}
        className={`field font-mono placeholder:font-sans ${error ? 'border-red-500 dark:border-red-400' : ''} ${className ?? ''}`}
      />
      {error && (
        <p id={`${id}-error`} role="alert" className={`max-w-sm text-[11px] leading-snug text-red-800 dark:text-red-300 ${className ?? ''}`}>
          {error}
        </p>
      )}
    </div>
  );
}
