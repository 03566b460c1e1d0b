import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { parseSearch, searchProblem } from './parse-search';

describe('parseSearch', () => {
  it('ANDs words, keeps phrases, exclusions, OR groups and prefixes', () => {
    expect(parseSearch('payment "gateway timeout" -retry refund OR chargeback invo*').clauses).toEqual([
      { exclude: false, anyOf: [{ kind: 'word', text: 'payment' }] },
      { exclude: false, anyOf: [{ kind: 'phrase', text: 'gateway timeout' }] },
      { exclude: true, term: { kind: 'word', text: 'retry' } },
      { exclude: false, anyOf: [{ kind: 'word', text: 'refund' }, { kind: 'word', text: 'chargeback' }] },
      { exclude: false, anyOf: [{ kind: 'prefix', text: 'invo' }] },
    ]);
  });

  it('chains OR and excludes phrases', () => {
    expect(parseSearch('a1 OR b2 OR "c d"').clauses).toEqual([
      { exclude: false, anyOf: [{ kind: 'word', text: 'a1' }, { kind: 'word', text: 'b2' }, { kind: 'phrase', text: 'c d' }] },
    ]);
    expect(parseSearch('order -"dry run"').clauses[1]).toEqual({ exclude: true, term: { kind: 'phrase', text: 'dry run' } });
  });

  it('matches one id-like token as a substring too', () => {
    expect(parseSearch('ORD-000123').substring).toBe('ORD-000123');
    expect(parseSearch('orders.created').substring).toBe('orders.created');
    expect(parseSearch('abc123').substring).toBe('abc123');
    expect(parseSearch('50%_off').substring).toBe('50%_off');
    expect(parseSearch('gateway').substring).toBeNull();
    expect(parseSearch('ORD-1 ORD-2').substring).toBeNull();
    expect(parseSearch('"ORD-1"').substring).toBeNull();
  });

  it('leaves out punctuation-only words, lower-cases prefixes', () => {
    expect(parseSearch('&& gateway () * -!').clauses).toEqual([{ exclude: false, anyOf: [{ kind: 'word', text: 'gateway' }] }]);
    expect(parseSearch('Gate*').clauses).toEqual([{ exclude: false, anyOf: [{ kind: 'prefix', text: 'gate' }] }]);
    expect(parseSearch('naïve café').clauses).toHaveLength(2);
  });

  it.each([
    ['"unclosed phrase', 'a quote is not closed (at character 1)'],
    ['abc "x', 'a quote is not closed (at character 5)'],
    ['abc - def', '"-" must be followed by a word to exclude, without a space (at character 5)'],
    ['OR abc', 'OR needs a term before it (at character 1)'],
    ['abc OR', 'OR needs a term after it (at character 5)'],
    ['abc OR OR def', 'OR needs a term after it (at character 5)'],
    ['abc OR -def', 'an excluded term (-word) cannot be part of an OR (at character 5)'],
    ['-abc OR def', 'an excluded term (-word) cannot be part of an OR (at character 6)'],
    ['-abc -def', 'a search needs at least one word that is not excluded (at character 1)'],
    ['&&& ||| !!!', 'the search has no words in it, only punctuation (at character 1)'],
    ['"   "', 'a quoted phrase has no words in it (at character 1)'],
    ['ab', 'a search needs at least 3 characters (shorter text cannot use the search index) (at character 1)'],
    ['x'.repeat(201), 'a search is at most 200 characters (at character 201)'],
    ['abc\u0000def', 'control characters are not allowed (at character 4)'],
    ['abc\tdef', 'control characters are not allowed (at character 4)'],
    ['ab"cd', 'a quote must start a phrase (put a space before it) (at character 3)'],
    ['a-b*', 'a prefix search (word*) takes letters and digits only, with one * at the end (at character 1)'],
    ['abc x*', 'a prefix needs at least 2 characters before * (at character 5)'],
    ['abc \ud800', 'the text is not valid Unicode (at character 1)'],
  ])('refuses %j', (q, problem) => {
    expect(searchProblem(q)).toBe(problem);
    expect(() => parseSearch(q)).toThrow(AppError);
  });

  it('is an INVALID_INPUT error that names the search', () => {
    try {
      parseSearch('"xyz');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_INPUT', message: 'Invalid search: a quote is not closed (at character 1)' });
    }
  });
});
