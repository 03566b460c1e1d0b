import { useMemo } from 'react';
import { tokenizeJson, type TJsonTokenKind } from '../_lib/tokenize-json';

const COLORS: Record<TJsonTokenKind, string> = {
  key: 'text-sky-800 dark:text-sky-300',
  string: 'text-emerald-800 dark:text-emerald-300',
  number: 'text-orange-800 dark:text-orange-300',
  boolean: 'text-violet-700 dark:text-violet-300',
  null: 'text-muted italic',
  punct: 'text-muted',
  space: '',
};

// Past this size, colouring costs more than it helps; the text is shown plain.
export const HIGHLIGHT_LIMIT = 512 * 1024;

/** Pretty JSON coloured with <span>s built from tokens: text nodes only, nothing to inject into. */
export function JsonView({ value }: { value: unknown }) {
  const pretty = useMemo(() => JSON.stringify(value, null, 2) ?? String(value), [value]);
  const tokens = useMemo(() => (pretty.length <= HIGHLIGHT_LIMIT ? tokenizeJson(pretty) : null), [pretty]);
  return (
    <pre className="body-pre">
      {tokens
        ? tokens.map((t, i) => (t.kind === 'space' ? t.text : <span key={i} className={COLORS[t.kind]}>{t.text}</span>))
        : pretty}
    </pre>
  );
}
