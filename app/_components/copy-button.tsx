'use client';

import { useEffect, useState } from 'react';

/** Copies a value; the accessible name says what ("Copy message ID"). */
export function CopyButton({ value, what }: { value: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      aria-label={`Copy ${what}`}
      title={`Copy ${what}`}
      onClick={() => navigator.clipboard.writeText(value).then(() => setState('copied'), () => setState('failed'))}
      className="ml-1.5 inline-flex h-5 cursor-pointer items-center rounded border border-line px-1.5 align-middle font-sans text-[11px] text-muted hover:bg-sunken hover:text-fg"
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
