'use client';

import { useEffect, useId, useRef, useState } from 'react';

const SYNTAX: readonly [string, string][] = [
  ['payment timeout', 'both words, anywhere (body, header values, ids, routing keys)'],
  ['"exact phrase"', 'the words in this order'],
  ['-retry', 'without this word'],
  ['refund OR chargeback', 'either word'],
  ['invo*', 'words that start with "invo"'],
  ['ORD-2026-17', 'one token with - _ . : / or digits: matched literally, as a substring'],
];

const PATH_SYNTAX: readonly [string, string][] = [
  ['$.customer.id = "42"', 'a JSON body field equals a value (= != < <= > >=)'],
  ['$.items[*].sku = "A-1"', 'any element of an array'],
  ['$["odd key"][0]', 'a bare path: the field exists'],
];

/** The search syntax, one click (or Enter) away from the search box; Escape closes it. */
export function SearchHelp() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', close);
    document.addEventListener('mousedown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('mousedown', close);
    };
  }, [open]);

  return (
    <span ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        title={'Search syntax: "exact phrase"  -exclude  a OR b  pref*'}
        onClick={() => setOpen((v) => !v)}
        className="cursor-pointer rounded px-1 text-[11px] leading-4 text-accent underline-offset-2 hover:underline"
      >
        syntax
      </button>
      {open && (
        <div
          id={panelId}
          role="dialog"
          aria-label="Search syntax"
          className="absolute right-0 top-5 z-20 w-[26rem] rounded border border-line bg-panel p-3 text-xs shadow-lg"
        >
          <SyntaxTable title="Search" rows={SYNTAX} />
          <SyntaxTable title="JSON path" rows={PATH_SYNTAX} />
          <p className="mt-2 text-muted">
            Results are the newest 10,000 matches; counts say when there are more. Narrow a slow search with a source, origin or time range.
          </p>
        </div>
      )}
    </span>
  );
}

function SyntaxTable({ title, rows }: { title: string; rows: readonly [string, string][] }) {
  return (
    <table className="mb-2 w-full border-collapse">
      <caption className="pb-1 text-left font-medium text-fg">{title}</caption>
      <tbody>
        {rows.map(([example, meaning]) => (
          <tr key={example} className="align-top">
            <td className="whitespace-nowrap py-0.5 pr-3 font-mono text-fg">{example}</td>
            <td className="py-0.5 text-muted">{meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
