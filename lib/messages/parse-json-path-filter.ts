import { AppError } from '../errors';

// The `path` filter (docs/decisions/0015-search.md): `<path> <op> <value>`, or a bare path
// meaning "exists". `$` then `.key`, `["key"]`, `[n]` or `[*]` steps; op = == != < <= > >=;
// value a JSON literal. Parsed here and written back out as a PostgreSQL jsonpath with
// every key and string quoted by us, so user text never reaches the jsonpath parser raw.

export const MAX_PATH_FILTER_LENGTH = 300;
export const MAX_PATH_STEPS = 16;

export type TPathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'any' };
export type TPathOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type TJsonLiteral = string | number | boolean | null;

export type TPathFilter = {
  steps: TPathStep[];
  /** null: the path exists. */
  compare: { op: TPathOp; value: TJsonLiteral; raw: string } | null;
};

export class PathFilterError extends AppError {
  constructor(problem: string, position: number) {
    super('INVALID_INPUT', `Invalid JSON path filter: ${problem} (at character ${position + 1})`);
  }
}

const BARE_KEY = /^[A-Za-z0-9_$-]+/;
const JSON_STRING = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,3})?/;
const OPS: readonly [string, TPathOp][] = [['==', '=='], ['!=', '!='], ['<=', '<='], ['>=', '>='], ['=', '=='], ['<', '<'], ['>', '>']];

function readString(s: string, at: number, what: string): { value: string; end: number } {
  const match = JSON_STRING.exec(s.slice(at));
  if (!match) throw new PathFilterError(`${what} in double quotes is not closed or has a bad escape (JSON string rules)`, at);
  const value = JSON.parse(match[0]) as string;
  if (value.includes('\u0000')) throw new PathFilterError(`${what} cannot contain U+0000`, at);
  if (/\p{Cs}/u.test(value)) throw new PathFilterError(`${what} is not valid Unicode`, at);
  return { value, end: at + match[0].length };
}

function readSteps(s: string): { steps: TPathStep[]; end: number } {
  if (s[0] !== '$') throw new PathFilterError('a path starts with "$" (e.g. $.customer.id = "42")', 0);
  const steps: TPathStep[] = [];
  let i = 1;
  while (i < s.length && (s[i] === '.' || s[i] === '[')) {
    if (s[i] === '.') {
      const key = BARE_KEY.exec(s.slice(i + 1))?.[0];
      if (!key) throw new PathFilterError('expected a field name after "." (use ["..."] for other names)', i + 1);
      steps.push({ kind: 'key', key });
      i += 1 + key.length;
    } else if (s[i + 1] === '"') {
      const { value, end } = readString(s, i + 1, 'a field name');
      if (s[end] !== ']') throw new PathFilterError('expected "]"', end);
      steps.push({ kind: 'key', key: value });
      i = end + 1;
    } else if (s[i + 1] === '*') {
      if (s[i + 2] !== ']') throw new PathFilterError('expected "]"', i + 2);
      steps.push({ kind: 'any' });
      i += 3;
    } else {
      const digits = /^[0-9]+/.exec(s.slice(i + 1))?.[0];
      if (!digits) throw new PathFilterError('expected ["name"], [index] or [*] after "["', i + 1);
      if (digits.length > 1 && digits.startsWith('0')) throw new PathFilterError('an array index has no leading zeros', i + 1);
      if (digits.length > 9) throw new PathFilterError('an array index is at most 999999999', i + 1);
      if (s[i + 1 + digits.length] !== ']') throw new PathFilterError('expected "]"', i + 1 + digits.length);
      steps.push({ kind: 'index', index: Number(digits) });
      i += digits.length + 2;
    }
    if (steps.length > MAX_PATH_STEPS) throw new PathFilterError(`a path has at most ${MAX_PATH_STEPS} steps`, i);
  }
  if (steps.length === 0) throw new PathFilterError('a path names at least one field, e.g. $.customer.id', 1);
  return { steps, end: i };
}

function readLiteral(s: string, at: number): { value: TJsonLiteral; raw: string } {
  const rest = s.slice(at);
  if (rest.startsWith('"')) {
    const { value, end } = readString(s, at, 'a string value');
    if (end !== s.length) throw new PathFilterError('nothing may follow the value (one comparison per filter)', end);
    return { value, raw: s.slice(at, end) };
  }
  for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
    if (rest === word) return { value, raw: word };
  }
  const number = JSON_NUMBER.exec(rest)?.[0];
  if (number && number === rest) return { value: Number(number), raw: number };
  if (rest.startsWith("'")) throw new PathFilterError("strings take double quotes, e.g. \"42\"", at);
  throw new PathFilterError('the value must be a JSON literal: "text", a number, true, false or null', at);
}

/** Parses the filter; a PathFilterError (INVALID_INPUT) names the problem and where it is. */
export function parsePathFilter(input: string): TPathFilter {
  const s = input.trim();
  if (s.length > MAX_PATH_FILTER_LENGTH) throw new PathFilterError(`a filter is at most ${MAX_PATH_FILTER_LENGTH} characters`, MAX_PATH_FILTER_LENGTH);
  const control = s.search(/[\u0000-\u001f\u007f]/);
  if (control !== -1) throw new PathFilterError('control characters are not allowed', control);
  const { steps, end } = readSteps(s);
  let i = end;
  while (s[i] === ' ') i++;
  if (i === s.length) return { steps, compare: null };
  const op = OPS.find(([text]) => s.startsWith(text, i));
  if (!op) throw new PathFilterError(`expected an operator (= == != < <= > >=) after the path, found ${JSON.stringify(s[i])}`, i);
  i += op[0].length;
  while (s[i] === ' ') i++;
  if (i === s.length) throw new PathFilterError('a value is missing after the operator', i);
  const { value, raw } = readLiteral(s, i);
  const ordering = op[1] !== '==' && op[1] !== '!=';
  if (ordering && (value === null || typeof value === 'boolean')) {
    throw new PathFilterError(`${op[0]} compares numbers or strings, not ${raw}`, i);
  }
  return { steps, compare: { op: op[1], value, raw } };
}

/**
 * The filter as a PostgreSQL jsonpath. Strict mode: arrays are not unwrapped behind the
 * user's back (`[*]` says where), and a missing key makes the predicate unknown (no match).
 */
export function toJsonPath(filter: TPathFilter): string {
  let path = 'strict $';
  for (const step of filter.steps) {
    if (step.kind === 'key') path += `.${JSON.stringify(step.key)}`;
    else if (step.kind === 'index') path += `[${step.index}]`;
    else path += '[*]';
  }
  if (!filter.compare) return path;
  const { op, value, raw } = filter.compare;
  // A number keeps its spelling (JSON and jsonpath share the grammar): no float rounding.
  return `${path} ${op} ${typeof value === 'string' ? JSON.stringify(value) : raw}`;
}

/** The path alone, as written in messages (for error messages and redaction checks). */
export function formatPathSteps(steps: readonly TPathStep[]): string {
  return `$${steps.map((s) => (s.kind === 'key' ? (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.key) ? `.${s.key}` : `[${JSON.stringify(s.key)}]`) : s.kind === 'index' ? `[${s.index}]` : '[*]')).join('')}`;
}

/** null when the filter parses, else the problem: for zod refinements. */
export function pathFilterProblem(input: string): string | null {
  try {
    parsePathFilter(input);
    return null;
  } catch (error) {
    if (error instanceof PathFilterError) return error.message.replace(/^Invalid JSON path filter: /, '');
    throw error;
  }
}
