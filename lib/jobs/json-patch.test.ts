import { describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchError, parsePointer, ZJsonPatch, type TJsonPatch } from './json-patch';

const patch = (ops: unknown) => ZJsonPatch.parse(ops) as TJsonPatch;

describe('applyJsonPatch (RFC 6902)', () => {
  it('adds, removes and replaces members and array elements without changing the input', () => {
    const doc = { a: 1, list: [1, 2, 3], nested: { x: 'y' } };
    const out = applyJsonPatch(doc, patch([
      { op: 'add', path: '/b', value: { c: true } },
      { op: 'add', path: '/list/1', value: 9 },
      { op: 'add', path: '/list/-', value: 4 },
      { op: 'remove', path: '/nested/x' },
      { op: 'replace', path: '/a', value: 'one' },
    ]));
    expect(out).toEqual({ a: 'one', list: [1, 9, 2, 3, 4], nested: {}, b: { c: true } });
    expect(doc).toEqual({ a: 1, list: [1, 2, 3], nested: { x: 'y' } });
  });

  it('keeps key order on replace and replaces the whole document at ""', () => {
    expect(Object.keys(applyJsonPatch({ a: 1, b: 2, c: 3 }, patch([{ op: 'replace', path: '/a', value: 0 }])) as object)).toEqual(['a', 'b', 'c']);
    expect(applyJsonPatch({ a: 1 }, patch([{ op: 'replace', path: '', value: [1] }]))).toEqual([1]);
    expect(applyJsonPatch({ a: 1 }, patch([{ op: 'add', path: '', value: 'x' }]))).toBe('x');
  });

  it('moves and copies values, and refuses to move a value into itself', () => {
    expect(applyJsonPatch({ a: { b: 1 }, c: [] }, patch([{ op: 'move', from: '/a/b', path: '/c/0' }]))).toEqual({ a: {}, c: [1] });
    expect(applyJsonPatch({ a: { b: [1] } }, patch([{ op: 'copy', from: '/a', path: '/z' }]))).toEqual({ a: { b: [1] }, z: { b: [1] } });
    const copied = applyJsonPatch({ a: { b: [1] } }, patch([{ op: 'copy', from: '/a', path: '/z' }, { op: 'add', path: '/z/b/-', value: 2 }])) as { a: { b: number[] } };
    expect(copied.a.b).toEqual([1]);
    expect(() => applyJsonPatch({ a: { b: 1 } }, patch([{ op: 'move', from: '/a', path: '/a/b/c' }]))).toThrow(/into itself/);
    expect(applyJsonPatch({ a: 1 }, patch([{ op: 'move', from: '/a', path: '/a' }]))).toEqual({ a: 1 });
  });

  it('tests values deeply and stops the whole patch when a test fails', () => {
    const doc = { v: { n: [1, { k: 'x' }] } };
    expect(applyJsonPatch(doc, patch([{ op: 'test', path: '/v', value: { n: [1, { k: 'x' }] } }, { op: 'remove', path: '/v' }]))).toEqual({});
    expect(() => applyJsonPatch(doc, patch([{ op: 'remove', path: '/v/n/0' }, { op: 'test', path: '/v/n/0', value: 1 }]))).toThrow(
      'operation 2: test "/v/n/0": the value is not 1',
    );
    expect(() => applyJsonPatch({ a: 1 }, patch([{ op: 'test', path: '/a', value: '1' }]))).toThrow(JsonPatchError);
  });

  it('decodes ~0 and ~1 in pointers and keeps "__proto__" as data', () => {
    expect(parsePointer('/a~1b/c~0d/~01')).toEqual(['a/b', 'c~d', '~1']);
    expect(applyJsonPatch({ 'a/b': 1 }, patch([{ op: 'replace', path: '/a~1b', value: 2 }]))).toEqual({ 'a/b': 2 });
    const out = applyJsonPatch({}, patch([{ op: 'add', path: '/__proto__', value: { polluted: true } }])) as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the operation and the problem for missing paths, bad indexes and wrong parents', () => {
    expect(() => applyJsonPatch({ a: 1 }, patch([{ op: 'remove', path: '/b' }]))).toThrow('operation 1: remove "/b": path does not exist');
    expect(() => applyJsonPatch({ l: [1] }, patch([{ op: 'add', path: '/l/5', value: 1 }]))).toThrow(/out of bounds/);
    expect(() => applyJsonPatch({ l: [1] }, patch([{ op: 'replace', path: '/l/-', value: 1 }]))).toThrow(/not an array index/);
    expect(() => applyJsonPatch({ l: [1] }, patch([{ op: 'add', path: '/l/01', value: 1 }]))).toThrow(/not an array index/);
    expect(() => applyJsonPatch({ a: 1 }, patch([{ op: 'add', path: '/a/b', value: 1 }]))).toThrow(/not an object or an array/);
    expect(() => applyJsonPatch({ a: 1 }, patch([{ op: 'add', path: '/x/y', value: 1 }]))).toThrow(/path does not exist/);
    expect(() => applyJsonPatch({ a: 1 }, patch([{ op: 'remove', path: '' }]))).toThrow(/whole document/);
  });

  it('refuses malformed operations at the edge', () => {
    expect(ZJsonPatch.safeParse([]).success).toBe(false);
    expect(ZJsonPatch.safeParse([{ op: 'add', path: 'a', value: 1 }]).success).toBe(false);
    expect(ZJsonPatch.safeParse([{ op: 'add', path: '/a' }]).success).toBe(false);
    expect(ZJsonPatch.safeParse([{ op: 'jump', path: '/a' }]).success).toBe(false);
    expect(ZJsonPatch.safeParse([{ op: 'move', path: '/a' }]).success).toBe(false);
    expect(ZJsonPatch.safeParse([{ op: 'add', path: '/a', value: null }]).success).toBe(true);
  });
});
