import { useMemo } from 'react';
import { formatJsonText } from '../_lib/json-text';
import { tokenizeJson, type TJsonTokenKind } from '../_lib/tokenize-json';
import { formatCount } from '../_lib/format';
import { jsonNestingDepth, MAX_PRETTY_DEPTH } from './json-depth';
import { VisibleText } from './visible-text';

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

type TProps =
  /** JSON text (a body): re-indented with every number and string exactly as written. */
  | { text: string }
  /** A value the console itself made (an audit record). */
  | { value: unknown };

/**
 * Pretty JSON coloured with <span>s built from tokens: text nodes only, nothing to inject
 * into. A body is re-indented from its text, never parsed and re-serialised: JSON.parse
 * rounds 12345678901234567890123 and turns 1e400 into null.
 */
export function JsonView(props: TProps) {
  const source = 'text' in props ? props.text : (JSON.stringify(props.value) ?? String(props.value));
  const depth = useMemo(() => jsonNestingDepth(source), [source]);
  const pretty = useMemo(() => (depth > MAX_PRETTY_DEPTH ? source : formatJsonText(source)), [source, depth]);
  const tokens = useMemo(() => (pretty.length <= HIGHLIGHT_LIMIT ? tokenizeJson(pretty) : null), [pretty]);
  return (
    <>
      {depth > MAX_PRETTY_DEPTH && (
        <p className="mb-1 text-xs text-muted">Nested {formatCount(depth)} levels deep: shown as written, not re-indented.</p>
      )}
      <pre className="body-pre">
        {tokens
          ? tokens.map((t, i) =>
              t.kind === 'space' ? t.text : <span key={i} className={COLORS[t.kind]}><VisibleText text={t.text} /></span>,
            )
          : <VisibleText text={pretty} />}
      </pre>
    </>
  );
}
