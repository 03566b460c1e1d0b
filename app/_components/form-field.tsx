import type { ReactNode, Ref } from 'react';

type TProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the input and announced with it. */
  hint?: ReactNode;
  /** Names, URLs and keys are shown as typed, in a fixed-width font. */
  mono?: boolean;
  required?: boolean;
  placeholder?: string;
  className?: string;
  inputRef?: Ref<HTMLInputElement>;
  autoComplete?: string;
};

/** A labelled text input of the admin forms. */
export function FormField({ id, label, value, onChange, hint, mono, required, placeholder, className, inputRef, autoComplete = 'off' }: TProps) {
  return (
    <div className={`flex flex-col gap-0.5 ${className ?? ''}`}>
      <label htmlFor={id} className="text-xs font-medium text-muted">
        {label}
        {required && <span aria-hidden className="ml-0.5">*</span>}
      </label>
      <input
        id={id}
        ref={inputRef}
        type="text"
        value={value}
        required={required}
        placeholder={placeholder}
        autoComplete={autoComplete}
        spellCheck={false}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
        className={`field w-full ${mono ? 'font-mono placeholder:font-sans' : ''}`}
      />
      {hint && <p id={`${id}-hint`} className="text-[11px] text-muted">{hint}</p>}
    </div>
  );
}
