import { describe, expect, it } from 'vitest';
import { MAX_WILDCARD_TEXT, wildcardMatch } from './wildcard-match';

describe('wildcardMatch', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'ab', false],
    ['abc', 'a*', true],
    ['abc', '*c', true],
    ['abc', 'a*c', true],
    ['abc', 'a*b*c', true],
    ['ac', 'a*c', true],
    ['abc', 'a*d', false],
    ['', '*', true],
    ['', '', true],
    ['a', '', false],
    ['aaab', 'a*ab', true],
    ['mississippi', 'm*iss*ppi', true],
    ['mississippi', 'm*iss*ppx', false],
    ['a.b', 'a.b', true],
    ['axb', 'a.b', false],
    ['(a+)+', '(a+)+', true],
    ['a?b', 'a?b', true],
    ['acb', 'a?b', false],
  ])('%j against %j is %s', (text, pattern, expected) => {
    expect(wildcardMatch(text, pattern)).toBe(expected);
  });

  it('treats regex metacharacters literally', () => {
    expect(wildcardMatch('x[0-9]y', '[0-9]', { anywhere: true })).toBe(true);
    expect(wildcardMatch('x5y', '[0-9]', { anywhere: true })).toBe(false);
    expect(wildcardMatch('a\\b', 'a\\b')).toBe(true);
    expect(wildcardMatch('a$', 'a$')).toBe(true);
    expect(wildcardMatch('a', 'a$')).toBe(false);
  });

  it('matches anywhere when asked', () => {
    expect(wildcardMatch('System.TimeoutException: timed out', 'timeout', { anywhere: true })).toBe(false);
    expect(wildcardMatch('System.TimeoutException: timed out', 'Timeout', { anywhere: true })).toBe(true);
    expect(wildcardMatch('System.TimeoutException: timed out', 'time*out', { anywhere: true })).toBe(true);
    expect(wildcardMatch('abc', 'b')).toBe(false);
    expect(wildcardMatch('abc', 'b', { anywhere: true })).toBe(true);
    expect(wildcardMatch('abc', '', { anywhere: true })).toBe(true);
    expect(wildcardMatch('abc', 'x', { anywhere: true })).toBe(false);
  });

  it('ignores case when asked', () => {
    expect(wildcardMatch('Connection REFUSED', 'connection*refused')).toBe(false);
    expect(wildcardMatch('Connection REFUSED', 'connection*refused', { caseInsensitive: true })).toBe(true);
    expect(wildcardMatch('Connection REFUSED', 'REFUSED', { caseInsensitive: true, anywhere: true })).toBe(true);
  });

  it('compares only the first MAX_WILDCARD_TEXT characters', () => {
    const text = 'a'.repeat(MAX_WILDCARD_TEXT) + 'needle';
    expect(wildcardMatch(text, 'needle', { anywhere: true })).toBe(false);
    expect(wildcardMatch('needle' + 'a'.repeat(MAX_WILDCARD_TEXT), 'needle', { anywhere: true })).toBe(true);
  });

  it('stays fast on patterns that make backtracking regex engines explode', () => {
    const started = performance.now();
    const text = 'a'.repeat(MAX_WILDCARD_TEXT);
    expect(wildcardMatch(text, '*a*a*a*a*a*a*a*a*a*a*b')).toBe(false);
    expect(wildcardMatch(text, 'a*a*a*a*a*a*a*a*a*a*x', { anywhere: true, caseInsensitive: true })).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
