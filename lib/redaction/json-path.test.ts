import { describe, expect, it } from 'vitest';
import { formatJsonPath, JsonPathError, parseJsonPath } from './json-path';

const key = (k: string, descend = false) => ({ descend, selector: { kind: 'key', key: k } });

describe('parseJsonPath', () => {
  it('reads dotted names', () => {
    expect(parseJsonPath('$.card.number')).toEqual([key('card'), key('number')]);
  });

  it('reads indexes, wildcards and recursive descent', () => {
    expect(parseJsonPath('$.a[0].b')).toEqual([key('a'), { descend: false, selector: { kind: 'index', index: 0 } }, key('b')]);
    expect(parseJsonPath('$.a[*].b')[1]).toEqual({ descend: false, selector: { kind: 'wildcard' } });
    expect(parseJsonPath('$.a.*')[1]).toEqual({ descend: false, selector: { kind: 'wildcard' } });
    expect(parseJsonPath('$..pan')).toEqual([key('pan', true)]);
    expect(parseJsonPath('$..*')).toEqual([{ descend: true, selector: { kind: 'wildcard' } }]);
    expect(parseJsonPath("$..['card no']")).toEqual([key('card no', true)]);
    expect(parseJsonPath('$.items..[2]')[1]).toEqual({ descend: true, selector: { kind: 'index', index: 2 } });
  });

  it('reads quoted names with dots, spaces, quotes and backslashes', () => {
    expect(parseJsonPath("$['weird key']")).toEqual([key('weird key')]);
    expect(parseJsonPath("$['a.b']['c']")).toEqual([key('a.b'), key('c')]);
    expect(parseJsonPath('$["it\'s"]')).toEqual([key("it's")]);
    expect(parseJsonPath("$['it\\'s \\\\ ok']")).toEqual([key("it's \\ ok")]);
    expect(parseJsonPath("$['']")).toEqual([key('')]);
  });

  it('accepts names with hyphens, digits and non-ASCII letters', () => {
    expect(parseJsonPath('$.x-card.n0.prénom')).toEqual([key('x-card'), key('n0'), key('prénom')]);
  });

  it.each([
    ['', 'starts with "$"'],
    ['card.number', 'starts with "$"'],
    ['$', 'at least one field'],
    ['$.', 'expected a field name'],
    ['$.a.', 'expected a field name'],
    ['$..', 'expected a field name'],
    ['$.a..', 'expected a field name'],
    ['$a', 'unexpected "a"'],
    ['$.a b', 'unexpected " "'],
    ['$[', 'expected'],
    ['$[01]', 'leading zeros'],
    ['$[-1]', 'negative'],
    ['$[1', 'expected "]"'],
    ["$['a", 'unterminated'],
    ["$['a'", 'expected "]"'],
    ['$[a]', "expected ['name']"],
    ['$[9999999999]', 'at most'],
    ['$.a[*', 'expected "]"'],
    ['$.[0]', 'where a field name belongs'],
  ])('refuses %j with a clear message', (pattern, message) => {
    expect(() => parseJsonPath(pattern)).toThrow(JsonPathError);
    expect(() => parseJsonPath(pattern)).toThrow(message);
  });

  it('says where the problem is', () => {
    expect(() => parseJsonPath('$.a b')).toThrow('(at character 4)');
  });

  it('refuses very long and very deep patterns', () => {
    expect(() => parseJsonPath(`$${'.a'.repeat(300)}`)).toThrow('at most 500 characters');
    expect(() => parseJsonPath(`$${'.a'.repeat(33)}`)).toThrow('at most 32 steps');
    expect(parseJsonPath(`$${'.a'.repeat(32)}`)).toHaveLength(32);
  });
});

describe('formatJsonPath', () => {
  it('writes plain names dotted and others quoted', () => {
    expect(formatJsonPath([])).toBe('$');
    expect(formatJsonPath(['card', 'number'])).toBe('$.card.number');
    expect(formatJsonPath(['items', 0, 'card no', "it's\\"])).toBe("$.items[0]['card no']['it\\'s\\\\']");
  });

  it('formats paths that parse back to the same steps', () => {
    const steps = ['a.b', 0, "q'uote", 'x-y', ''];
    const parsed = parseJsonPath(formatJsonPath(steps)).map((s) => (s.selector.kind === 'key' ? s.selector.key : s.selector.kind === 'index' ? s.selector.index : '*'));
    expect(parsed).toEqual(steps);
  });
});
