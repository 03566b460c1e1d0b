// The JSON path subset redaction rules are written in: `$.a.b`, `$.a[0].b`, `$.a[*].b`,
// `$..b` (at any depth) and `$['weird key']`. Small on purpose: a rule names fields to
// mask, it does not filter or compute. Pure, so the web app, the CLI and tests share it.

export type TSelector = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };
/** `descend`: the selector applies at any depth below the previous step (`..`). */
export type TPathSegment = { descend: boolean; selector: TSelector };

export const MAX_PATTERN_LENGTH = 500;
export const MAX_SEGMENTS = 32;

export class JsonPathError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} (at character ${position + 1})`);
    this.name = 'JsonPathError';
  }
}

// Characters that end a bare name: they start the next step, or belong to bracket syntax.
const RESERVED = new Set(['.', '[', ']', '*', "'", '"']);
const isBareNameChar = (c: string) => !RESERVED.has(c) && !/[\s\u0000-\u001f\u007f]/.test(c);

function readName(p: string, start: number): { key: string; end: number } {
  let end = start;
  while (end < p.length && isBareNameChar(p[end]!)) end++;
  if (end === start) {
    throw new JsonPathError(p[start] === undefined ? 'expected a field name after "."' : `unexpected ${JSON.stringify(p[start])} where a field name belongs (use ['...'] for odd names)`, start);
  }
  return { key: p.slice(start, end), end };
}

function readQuoted(p: string, start: number): { key: string; end: number } {
  const quote = p[start]!;
  let key = '';
  let i = start + 1;
  while (i < p.length && p[i] !== quote) {
    if (p[i] === '\\') {
      i++;
      if (i >= p.length) break;
    }
    key += p[i];
    i++;
  }
  if (i >= p.length) throw new JsonPathError(`unterminated quoted name (missing ${quote})`, start);
  return { key, end: i + 1 };
}

/** `[...]` at `start`: a quoted name, an array index or `*`. */
function readBracket(p: string, start: number): { selector: TSelector; end: number } {
  let i = start + 1;
  let selector: TSelector;
  const c = p[i];
  if (c === '*') {
    selector = { kind: 'wildcard' };
    i++;
  } else if (c === "'" || c === '"') {
    const { key, end } = readQuoted(p, i);
    selector = { kind: 'key', key };
    i = end;
  } else if (c !== undefined && /[0-9]/.test(c)) {
    const digits = /^[0-9]+/.exec(p.slice(i))![0];
    if (digits.length > 1 && digits.startsWith('0')) throw new JsonPathError('an array index has no leading zeros', i);
    if (digits.length > 9) throw new JsonPathError('an array index is at most 999999999', i);
    selector = { kind: 'index', index: Number(digits) };
    i += digits.length;
  } else if (c === '-') {
    throw new JsonPathError('negative array indexes are not supported (use [*] for every element)', i);
  } else {
    throw new JsonPathError("expected ['name'], [index] or [*] after \"[\"", i);
  }
  if (p[i] !== ']') throw new JsonPathError('expected "]"', i);
  return { selector, end: i + 1 };
}

/** The steps of a pattern; a JsonPathError says what is wrong and where. */
export function parseJsonPath(pattern: string): TPathSegment[] {
  const p = pattern;
  if (p.length > MAX_PATTERN_LENGTH) throw new JsonPathError(`a path is at most ${MAX_PATTERN_LENGTH} characters`, MAX_PATTERN_LENGTH);
  if (p[0] !== '$') throw new JsonPathError('a path starts with "$" (e.g. $.card.number)', 0);
  const segments: TPathSegment[] = [];
  let i = 1;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '.') {
      const descend = p[i + 1] === '.';
      i += descend ? 2 : 1;
      if (p[i] === '*') {
        segments.push({ descend, selector: { kind: 'wildcard' } });
        i++;
      } else if (descend && p[i] === '[') {
        const { selector, end } = readBracket(p, i);
        segments.push({ descend, selector });
        i = end;
      } else {
        const { key, end } = readName(p, i);
        segments.push({ descend, selector: { kind: 'key', key } });
        i = end;
      }
    } else if (c === '[') {
      const { selector, end } = readBracket(p, i);
      segments.push({ descend: false, selector });
      i = end;
    } else {
      throw new JsonPathError(`unexpected ${JSON.stringify(c)}; a step is .name, ..name, [index], [*] or ['name']`, i);
    }
    if (segments.length > MAX_SEGMENTS) throw new JsonPathError(`a path has at most ${MAX_SEGMENTS} steps`, i);
  }
  if (segments.length === 0) throw new JsonPathError('a path names at least one field ("$" alone would mask the whole body)', 1);
  return segments;
}

/** A concrete location in a body, as the UI lists what was masked: `$.items[0]['card no']`. */
export function formatJsonPath(steps: readonly (string | number)[]): string {
  let out = '$';
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(step)) out += `.${step}`;
    else out += `['${step.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
  }
  return out;
}
