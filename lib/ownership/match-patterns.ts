import type { TTypedValue } from '../ingest/typed-headers';

// The matchers ownership rules use. Pure, so the preview, the worker and the form's
// as-you-type checks agree on what a pattern means.

/** A glob where `*` stands for any run of characters (none included); every other character is itself. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${body}$`);
}

/**
 * An AMQP topic pattern, as a topic exchange binds it: words split on dots, `*` is exactly
 * one word, `#` is zero or more words. `*` and `#` are special only as whole words.
 */
export function matchesTopic(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  // seen[i][j]: p[i..] against k[j..], memoised so `#.#.#` patterns stay linear-ish.
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const slot = i * (k.length + 1) + j;
    const known = memo.get(slot);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === p.length) result = j === k.length;
    else if (p[i] === '#') result = match(i + 1, j) || (j < k.length && match(i, j + 1));
    else if (j === k.length) result = false;
    else result = (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
    memo.set(slot, result);
    return result;
  };
  return match(0, 0);
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
