import type { TTypedValue } from '../ingest/typed-headers';
import { MAX_WILDCARD_TEXT } from '../validation/wildcard-match';

// The matchers ownership rules use. Pure, so the preview, the worker and the form's
// as-you-type checks agree on what a pattern means.

/** The most `*` a glob (origin queue, header value) may hold. */
export const MAX_GLOB_STARS = 10;

/**
 * Whether the text matches a glob where `*` stands for any run of characters (none
 * included) and every other character is itself, the whole text (anchored). Values are
 * producer-controlled (a header can be 128 KiB), so no regular expression is built from the
 * pattern, and at most MAX_WILDCARD_TEXT characters of the value are compared, as
 * wildcardMatch (lib/validation/wildcard-match.ts) does; it answers exactly as wildcardMatch.
 * Since only `*` is special, the pieces between stars are placed leftmost first, each
 * found with indexOf from where the previous one ended: one pass over the text per piece,
 * where the two-pointer scan costs text x pattern for a long piece after a star (30 ms a
 * message for a 1000-character pattern, too slow for a preview over 1000 messages).
 */
export function globMatches(glob: string, text: string): boolean {
  const t = text.length > MAX_WILDCARD_TEXT ? text.slice(0, MAX_WILDCARD_TEXT) : text;
  const pieces = glob.split('*');
  if (pieces.length === 1) return t === glob;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (t.length < first.length + last.length || !t.startsWith(first) || !t.endsWith(last)) return false;
  const end = t.length - last.length;
  let at = first.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const found = t.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** The problem with a glob, or null: at most MAX_GLOB_STARS stars. */
export function globProblem(glob: string): string | null {
  const stars = glob.split('*').length - 1;
  return stars > MAX_GLOB_STARS ? `a pattern has at most ${MAX_GLOB_STARS} * (this one has ${stars})` : null;
}

/**
 * An AMQP topic pattern, as a topic exchange binds it: words split on dots, `*` is exactly
 * one word, `#` is zero or more words. `*` and `#` are special only as whole words.
 * Word by word, one row of booleans over the key's words per pattern word: time
 * O(pattern words x key words), space O(key words), whatever the input. Keys are compared on
 * their first MAX_WILDCARD_TEXT characters (AMQP itself allows 255 bytes).
 */
export function matchesTopic(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = (key.length > MAX_WILDCARD_TEXT ? key.slice(0, MAX_WILDCARD_TEXT) : key).split('.');
  // row[j]: the pattern words so far match the first j key words.
  let row = new Array<boolean>(k.length + 1).fill(false);
  row[0] = true;
  for (const word of p) {
    const next = new Array<boolean>(k.length + 1).fill(false);
    if (word === '#') {
      let reached = false;
      for (let j = 0; j <= k.length; j++) {
        reached ||= row[j]!;
        next[j] = reached;
      }
    } else {
      for (let j = 1; j <= k.length; j++) next[j] = row[j - 1]! && (word === '*' || word === k[j - 1]);
    }
    row = next;
  }
  return row[k.length]!;
}

export type TJsonPathStep = string | number;

const NAME = /^[A-Za-z_$][\w$-]*/;

/**
 * Parses `$.a.b[0]`, `$['a b'][2].c`: a root, then names and array indexes. No wildcards,
 * filters or recursion: a rule names one value. Throws the problem as a sentence.
 */
export function parseJsonPath(path: string): TJsonPathStep[] {
  if (!path.startsWith('$')) throw new Error('a JSON path starts with $, e.g. $.customer.region');
  const steps: TJsonPathStep[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const name = NAME.exec(rest.slice(1));
      if (!name) throw new Error(`expected a name after "." at "${rest.slice(0, 20)}" (quote other names: $['a b'])`);
      steps.push(name[0]);
      rest = rest.slice(1 + name[0].length);
    } else if (rest.startsWith('[')) {
      const index = /^\[(\d{1,9})\]/.exec(rest);
      const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
      if (index) steps.push(Number(index[1]));
      else if (quoted) steps.push((quoted[1] ?? quoted[2]!).replace(/\\(.)/g, '$1'));
      else throw new Error(`expected [number] or ['name'] at "${rest.slice(0, 20)}"`);
      rest = rest.slice((index ?? quoted)![0].length);
    } else {
      throw new Error(`unexpected "${rest.slice(0, 20)}": use .name, ['name'] or [index]`);
    }
  }
  if (steps.length === 0) throw new Error('the path names no field: e.g. $.customer.region');
  if (steps.length > 32) throw new Error('the path is more than 32 steps deep');
  return steps;
}

/** The problem with a JSON path, or null when it parses. */
export function jsonPathProblem(path: string): string | null {
  try {
    parseJsonPath(path);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The value at the path, or undefined. Own properties only: `__proto__` and `constructor` are data here. */
export function readJsonPath(value: unknown, steps: readonly TJsonPathStep[]): unknown {
  let at: unknown = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(at) || step >= at.length) return undefined;
      at = at[step];
    } else {
      if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, step)) return undefined;
      at = (at as Record<string, unknown>)[step];
    }
  }
  return at;
}

/** A JSON value as a rule compares it: a string as itself, a number, boolean or null as JSON writes it; objects and arrays never match. */
export function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  return null;
}

/** A typed AMQP header value as a rule compares it; tables, arrays, bytes and the rest never match. */
export function headerText(value: TTypedValue | undefined): string | null {
  if (!value) return null;
  switch (value.type) {
    case 'string':
      return 'value' in value ? value.value : null;
    case 'number':
      return String(value.value);
    case 'boolean':
      return String(value.value);
    default:
      return null;
  }
}
