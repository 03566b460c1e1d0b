'use client';

import { useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react';

type TProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** 1-based line to mark in the gutter (a JSON error). */
  markLine?: number | null;
  invalid?: boolean;
  describedBy?: string;
  toolbar?: ReactNode;
  /** Under the label, above the text: a problem stays in sight while typing. */
  status?: ReactNode;
  heightClass?: string;
};

const LINE_PX = 20;

function insertAtCursor(el: HTMLTextAreaElement, text: string, onChange: (v: string) => void) {
  // execCommand keeps the browser's undo history; where it is gone, set the value directly.
  if (document.execCommand?.('insertText', false, text)) return;
  const { selectionStart: start, selectionEnd: end, value } = el;
  onChange(value.slice(0, start) + text + value.slice(end));
  requestAnimationFrame(() => el.setSelectionRange(start + text.length, start + text.length));
}

/**
 * A monospace textarea with line numbers. Tab inserts two spaces; Escape then Tab moves
 * focus on (so the editor is never a keyboard trap). No wrapping, so numbers line up.
 */
export function CodeEditor({ id, label, value, onChange, markLine, invalid, describedBy, toolbar, status, heightClass = 'h-[min(26rem,55vh)]' }: TProps) {
  const gutter = useRef<HTMLPreElement>(null);
  const tabLeaves = useRef(false);
  const lineCount = useMemo(() => (value.match(/\r\n|\n|\r/g)?.length ?? 0) + 1, [value]);
  const numbers = useMemo(() => Array.from({ length: lineCount }, (_, i) => i + 1), [lineCount]);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      tabLeaves.current = true;
      return;
    }
    if (event.key === 'Tab' && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && !tabLeaves.current) {
      event.preventDefault();
      insertAtCursor(event.currentTarget, '  ', onChange);
      return;
    }
    tabLeaves.current = false;
  }

  return (
    <div className="flex min-w-0 flex-col gap-1">
      <div className="flex items-end gap-2">
        <label htmlFor={id} className="text-xs font-medium text-muted">{label}</label>
        <div className="ml-auto flex items-center gap-2">{toolbar}</div>
      </div>
      {status}
      <div className={`flex overflow-hidden rounded border bg-sunken font-mono text-[12.5px] ${invalid ? 'border-red-500 dark:border-red-500' : 'border-line'} ${heightClass}`}>
        <pre
          ref={gutter}
          aria-hidden
          className="w-12 shrink-0 overflow-hidden border-r border-line bg-panel py-2 pr-2 text-right leading-5 text-muted select-none"
        >
          {numbers.map((n) => (
            <span key={n} className={`block ${n === markLine ? 'bg-red-200 font-semibold text-red-900 dark:bg-red-900/70 dark:text-red-100' : ''}`} style={{ height: LINE_PX }}>
              {n}
            </span>
          ))}
        </pre>
        <textarea
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          className="min-w-0 flex-1 resize-none overflow-auto bg-transparent p-2 leading-5 whitespace-pre text-fg outline-none focus-visible:outline-2 focus-visible:-outline-offset-2"
        />
      </div>
    </div>
  );
}
