import { AppError } from '../errors';
import { hasControlCharacters } from '../validation/text';

// The `q` syntax (docs/decisions/0015-search.md): words are AND'ed, "exact phrases",
// -excluded, a OR b, pref* for a prefix. Parsed here into terms; search-sql.ts turns each
// term into plainto/phraseto_tsquery of a bound parameter, so user text never reaches
// to_tsquery's own syntax.

export const MIN_SEARCH_LENGTH = 3;
export const MAX_SEARCH_LENGTH = 200;
/** A prefix shorter than this would match most of the table. */
export const MIN_PREFIX_LENGTH = 2;

export type TSearchTerm =
  | { kind: 'word'; text: string }
  | { kind: 'phrase'; text: string }
  /** Letters and digits only, lower case, without the `*`. */
  | { kind: 'prefix'; text: string };

/** Every clause must match; a clause matches when any of its terms does (or, for an exclusion, when its term does not). */
export type TSearchClause = { exclude: false; anyOf: TSearchTerm[] } | { exclude: true; term: TSearchTerm };

export type TSearchQuery = {
  clauses: TSearchClause[];
  /** The whole search is one id-like token: matched literally as a substring instead (message ids, order numbers). */
  substring: string | null;
};

export class SearchSyntaxError extends AppError {
  constructor(problem: string, position: number) {
    super('INVALID_INPUT', `Invalid search: ${problem} (at character ${position + 1})`);
  }
}

type TToken = { kind: 'term'; term: TSearchTerm; exclude: boolean; at: number } | { kind: 'or'; at: number };

const hasWordCharacter = (s: string) => /[\p{L}\p{N}]/u.test(s);
const isIdLike = (s: string) => /[-_.:/0-9]/.test(s);

function readToken(q: string, start: number): { token: TToken | null; end: number } {
  let i = start;
  const exclude = q[i] === '-';
  if (exclude) i++;
  if (q[i] === '"') {
    const close = q.indexOf('"', i + 1);
    if (close === -1) throw new SearchSyntaxError('a quote is not closed', i);
    const text = q.slice(i + 1, close).trim();
    if (!hasWordCharacter(text)) throw new SearchSyntaxError('a quoted phrase has no words in it', i);
    return { token: { kind: 'term', term: { kind: 'phrase', text }, exclude, at: start }, end: close + 1 };
  }
  let end = i;
  while (end < q.length && !/\s/.test(q[end]!)) {
    if (q[end] === '"') throw new SearchSyntaxError('a quote must start a phrase (put a space before it)', end);
    end++;
  }
  const raw = q.slice(i, end);
  if (raw.length === 0) throw new SearchSyntaxError('"-" must be followed by a word to exclude, without a space', start);
  if (raw === 'OR' && !exclude) return { token: { kind: 'or', at: start }, end };
  // Punctuation alone ("&&", "()", "*") has nothing to match in the index: it is left out.
  if (!hasWordCharacter(raw)) return { token: null, end };
  if (raw.endsWith('*')) {
    const text = raw.slice(0, -1);
    if (!/^[\p{L}\p{N}]+$/u.test(text)) {
      throw new SearchSyntaxError('a prefix search (word*) takes letters and digits only, with one * at the end', start);
    }
    if (text.length < MIN_PREFIX_LENGTH) throw new SearchSyntaxError(`a prefix needs at least ${MIN_PREFIX_LENGTH} characters before *`, start);
    return { token: { kind: 'term', term: { kind: 'prefix', text: text.toLowerCase() }, exclude, at: start }, end };
  }
  return { token: { kind: 'term', term: { kind: 'word', text: raw }, exclude, at: start }, end };
}

function tokenize(q: string): TToken[] {
  const tokens: TToken[] = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i]!)) {
      i++;
      continue;
    }
    const { token, end } = readToken(q, i);
    if (token) tokens.push(token);
    i = end;
  }
  return tokens;
}

/** Parses `q`; a SearchSyntaxError (INVALID_INPUT) names the problem and where it is. */
export function parseSearch(input: string): TSearchQuery {
  const q = input.trim();
  if (q.length > MAX_SEARCH_LENGTH) throw new SearchSyntaxError(`a search is at most ${MAX_SEARCH_LENGTH} characters`, MAX_SEARCH_LENGTH);
  const control = q.search(/[\u0000-\u001f\u007f]/);
  if (control !== -1 || hasControlCharacters(q)) throw new SearchSyntaxError('control characters are not allowed', Math.max(control, 0));
  if (q.length < MIN_SEARCH_LENGTH) {
    throw new SearchSyntaxError(`a search needs at least ${MIN_SEARCH_LENGTH} characters (shorter text cannot use the search index)`, 0);
  }
  if (/\p{Cs}/u.test(q)) throw new SearchSyntaxError('the text is not valid Unicode', 0);

  const tokens = tokenize(q);
  const clauses: TSearchClause[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.kind === 'or') {
      const prev = tokens[t - 1];
      const next = tokens[t + 1];
      if (!prev || prev.kind === 'or') throw new SearchSyntaxError('OR needs a term before it', token.at);
      if (!next || next.kind === 'or') throw new SearchSyntaxError('OR needs a term after it', token.at);
      if (prev.exclude || next.exclude) throw new SearchSyntaxError('an excluded term (-word) cannot be part of an OR', token.at);
      const last = clauses[clauses.length - 1]!;
      if (last.exclude) throw new SearchSyntaxError('an excluded term (-word) cannot be part of an OR', token.at);
      last.anyOf.push(next.term);
      t++;
      continue;
    }
    clauses.push(token.exclude ? { exclude: true, term: token.term } : { exclude: false, anyOf: [token.term] });
  }
  if (clauses.length === 0) throw new SearchSyntaxError('the search has no words in it, only punctuation', 0);
  if (clauses.every((c) => c.exclude)) throw new SearchSyntaxError('a search needs at least one word that is not excluded', 0);

  const only = clauses.length === 1 && !clauses[0]!.exclude && clauses[0]!.anyOf.length === 1 ? clauses[0]!.anyOf[0]! : null;
  const substring = only?.kind === 'word' && isIdLike(only.text) ? only.text : null;
  return { clauses, substring };
}

/** null when `q` parses, else the problem: for zod refinements. */
export function searchProblem(q: string): string | null {
  try {
    parseSearch(q);
    return null;
  } catch (error) {
    if (error instanceof SearchSyntaxError) return error.message.replace(/^Invalid search: /, '');
    throw error;
  }
}
