import { describe, expect, it } from 'vitest';
import { parseJsonPath } from './json-path';
import { PathMatcher } from './path-matcher';
import { redactJsonText } from './redact-json-text';

const matcher = (...patterns: string[]) => new PathMatcher(patterns.map(parseJsonPath));
const redact = (value: unknown, ...patterns: string[]) => {
  const result = redactJsonText(JSON.stringify(value), matcher(...patterns));
  return result && { value: JSON.parse(result.text) as unknown, paths: result.paths, count: result.count };
};

describe('redactJsonText', () => {
  it('masks a nested field and keeps everything else', () => {
    expect(redact({ card: { number: '4111', exp: '12/30' }, id: 7 }, '$.card.number')).toEqual({
      value: { card: { number: '[redacted]', exp: '12/30' }, id: 7 }, paths: ['$.card.number'], count: 1,
    });
  });

  it('masks objects, arrays, numbers, booleans and null whole', () => {
    const body = { a: { x: [1, { y: 2 }] }, b: [1, 2], c: 12.5e3, d: true, e: null };
    expect(redact(body, '$.a', '$.b', '$.c', '$.d', '$.e')?.value).toEqual({ a: '[redacted]', b: '[redacted]', c: '[redacted]', d: '[redacted]', e: '[redacted]' });
  });

  it('keeps the original text outside the masked values', () => {
    const text = '{\n  "card" : { "number":4111111111111111 , "n": 1.50 },\n  "z": "\\u0041"\n}';
    expect(redactJsonText(text, matcher('$.card.number'))?.text).toBe('{\n  "card" : { "number":"[redacted]" , "n": 1.50 },\n  "z": "\\u0041"\n}');
  });

  it('follows array indexes and wildcards', () => {
    const body = { items: [{ pan: 'a' }, { pan: 'b' }, { other: 'c' }] };
    expect(redact(body, '$.items[1].pan')?.value).toEqual({ items: [{ pan: 'a' }, { pan: '[redacted]' }, { other: 'c' }] });
    expect(redact(body, '$.items[*].pan')).toMatchObject({ paths: ['$.items[0].pan', '$.items[1].pan'], count: 2 });
    expect(redact({ a: { x: 1, y: 2 } }, '$.a.*')?.value).toEqual({ a: { x: '[redacted]', y: '[redacted]' } });
    expect(redact([{ pan: 1 }, { pan: 2 }], '$[*].pan')?.count).toBe(2);
  });

  it('descends recursively with ..', () => {
    const body = { pan: 1, a: { pan: 2, b: [{ pan: 3 }, { c: { pan: 4 } }] }, list: [[{ pan: 5 }]] };
    const result = redact(body, '$..pan');
    expect(result?.count).toBe(5);
    expect(JSON.stringify(result?.value)).not.toMatch(/[12345]/);
    expect(redact({ a: { card: { n: 1 } }, card: { n: 2 }, n: 3 }, '$..card.n')?.paths).toEqual(['$.a.card.n', '$.card.n']);
  });

  it('masks the outermost match only, once', () => {
    expect(redact({ a: { a: { a: 1 } } }, '$..a')).toEqual({ value: { a: '[redacted]' }, paths: ['$.a'], count: 1 });
  });

  it('matches keys with dots, spaces and escapes exactly', () => {
    expect(redact({ 'a.b': 1, a: { b: 2 } }, "$['a.b']")?.value).toEqual({ 'a.b': '[redacted]', a: { b: 2 } });
    expect(redactJsonText('{"c\\u0061rd":1}', matcher('$.card'))?.text).toBe('{"c\\u0061rd":"[redacted]"}');
    expect(redact({ 'card no': 1 }, "$['card no']")?.paths).toEqual(["$['card no']"]);
  });

  it('reads strings with escaped quotes and backslashes to their real end', () => {
    const text = '{"note":"say \\"pan\\": \\\\","pan":"x\\u0041\\n","k\\"ey":{"pan":1}}';
    expect(JSON.parse(text)).toEqual({ note: 'say "pan": \\', pan: 'xA\n', 'k"ey': { pan: 1 } });
    const result = redactJsonText(text, matcher('$.pan', "$['k\"ey'].pan"));
    expect(result?.paths).toEqual(['$.pan', "$['k\"ey'].pan"]);
    expect(JSON.parse(result!.text)).toEqual({ note: 'say "pan": \\', pan: '[redacted]', 'k"ey': { pan: '[redacted]' } });
  });

  it('masks every copy of a duplicated key', () => {
    expect(redactJsonText('{"pan":1,"pan":2}', matcher('$.pan'))?.text).toBe('{"pan":"[redacted]","pan":"[redacted]"}');
  });

  it('does not confuse an index with a key', () => {
    expect(redact({ a: { 0: 'x' } }, '$.a[0]')?.count).toBe(0);
    expect(redact({ a: ['x'] }, "$.a['0']")?.count).toBe(0);
  });

  it('leaves a body without the path as it is', () => {
    const text = '{"card":{"exp":"12/30"}}';
    expect(redactJsonText(text, matcher('$.card.number', '$.x[3]'))).toEqual({ text, paths: [], count: 0 });
    expect(redactJsonText('"just a string"', matcher('$.a'))).toEqual({ text: '"just a string"', paths: [], count: 0 });
    expect(redactJsonText('[]', matcher('$[0]'))?.count).toBe(0);
  });

  it.each(['', ' ', '{', '{"a":1,}', '{"a" 1}', '[1 2]', '{"a":01}', 'nul', '{"a":"\u0001"}', '{"a":"\\x"}', '{"a":1}x', '{}{}', "{'a':1}", '{"a":"\\u12"}'])(
    'returns null for text that is not JSON: %j',
    (text) => {
      expect(redactJsonText(text, matcher('$.a'))).toBeNull();
    },
  );

  it('handles a body nested far deeper than the call stack allows', () => {
    const depth = 200_000;
    const text = `${'{"a":'.repeat(depth)}{"pan":"secret"}${'}'.repeat(depth)}`;
    const result = redactJsonText(text, matcher('$..pan'));
    expect(result?.count).toBe(1);
    expect(result?.text).not.toContain('secret');
    expect(result?.paths).toEqual(['$….a.a.a.a.a.a.a.pan']);
    expect(redactJsonText(`${'['.repeat(depth)}${']'.repeat(depth - 1)}`, matcher('$..pan'))).toBeNull();
  });

  it('handles a large body and lists at most 100 paths', () => {
    const items = Array.from({ length: 50_000 }, (_, i) => ({ id: i, card: { number: `4111-${i}` } }));
    const started = Date.now();
    const result = redact({ items }, '$.items[*].card.number');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result?.count).toBe(50_000);
    expect(result?.paths).toHaveLength(100);
    expect(JSON.stringify(result?.value)).not.toContain('4111-');
  });
});

describe('PathMatcher', () => {
  it('has no live positions below a finished match', () => {
    const m = matcher('$.a');
    const a = m.child(m.root(), 'a');
    expect(m.matches(a)).toBe(true);
    expect(m.child(a, 'b')).toEqual([]);
  });

  it('keeps a recursive position alive at every depth without growing', () => {
    const m = matcher('$..x');
    let live = m.root();
    for (let i = 0; i < 1000; i++) live = m.child(live, 'y');
    expect(live).toHaveLength(1);
    expect(m.matches(m.child(live, 'x'))).toBe(true);
  });
});
