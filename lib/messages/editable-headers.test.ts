import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { toTypedTable } from '../ingest/typed-headers';
import { toAmqpTable } from '../dispatch/to-amqp-headers';
import { ZEditRequest } from './action-input';
import { fromEditableHeaders, toEditableHeaders } from './editable-headers';

describe('editable headers', () => {
  const wire = {
    s: 'text', n: 7, f: 1.5, b: false, v: null, bytes: Buffer.from([0, 255]),
    when: { '!': 'timestamp', value: 1_700_000_000 }, dec: { '!': 'decimal', value: { places: 2, digits: 150 } },
    nested: { list: ['a', 1, { deep: true }] }, nul: 'a\u0000b',
    'x-death': [{ queue: 'q' }], 'x-first-death-queue': 'q', 'x-dlq-console-replay-id': 'x',
  };

  it('round-trips every AMQP type through the editor form and back to what amqplib sends', () => {
    const typed = toTypedTable(wire);
    const editable = toEditableHeaders(typed);
    expect(Object.keys(editable)).toEqual(['s', 'n', 'f', 'b', 'v', 'bytes', 'when', 'dec', 'nested', 'nul']);
    expect(editable.bytes).toEqual({ '!': 'bytes', value: 'AP8=' });
    const back = fromEditableHeaders(JSON.parse(JSON.stringify(editable)));
    const amqp = toAmqpTable(back);
    const { 'x-death': _d, 'x-first-death-queue': _f, 'x-dlq-console-replay-id': _c, ...sendable } = wire;
    expect(amqp).toEqual(sendable);
  });

  it('keeps a header named __proto__ as data', () => {
    const typed = fromEditableHeaders(JSON.parse('{"__proto__":{"polluted":true},"a":1}'));
    expect(Object.keys(typed)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [[], /must be a JSON object/],
    [{ 'x-death': [] }, /set by the broker/],
    [{ 'x-last-death-reason': 'x' }, /set by the broker/],
    [{ 'x-dlq-console-team': 'x' }, /set by the console/],
    [{ '': 1 }, /cannot be empty/],
    [{ ['k'.repeat(256)]: 1 }, /at most 255 bytes/],
    [{ a: { '!': 'timestamp', value: -1 } }, /whole seconds/],
    [{ a: { '!': 'timestamp', value: 1.5 } }, /whole seconds/],
    [{ a: { '!': 'bytes', value: 'not base64!' } }, /base64/],
    [{ a: { '!': 'decimal', value: { places: 300, digits: 1 } } }, /places/],
    [{ a: { '!': 'decimal', value: { places: 2, digits: -5 } } }, /digits/],
    [{ a: { '!': 'number', value: 'lots' } }, /NaN/],
    [{ big: 'x'.repeat(70_000) }, /more than the 61440/],
    [Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`h${i}`, 'y'.repeat(200)])), /more than the 61440/],
    [{ a: { '!': 'mystery', value: 1 } }, /tagged value/],
    [{ a: { '!': 'timestamp', value: 1, extra: 2 } }, /tagged value/],
  ])('refuses %j with a message naming the problem', (input, message) => {
    let error: unknown;
    try {
      fromEditableHeaders(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_INPUT');
    expect((error as AppError).message).toMatch(message);
  });

  it('keeps non-finite numbers through the editor', () => {
    const typed = toTypedTable({ nan: NaN, inf: -Infinity });
    expect(toEditableHeaders(typed)).toEqual({ nan: { '!': 'number', value: 'NaN' }, inf: { '!': 'number', value: '-Infinity' } });
    expect(fromEditableHeaders(toEditableHeaders(typed))).toEqual(typed);
  });

  it('takes a header named __proto__ through the request schema', () => {
    const parsed = ZEditRequest.parse(JSON.parse('{"version":1,"body":{"encoding":"utf8","data":""},"headers":{"__proto__":"kept","a":1}}'));
    expect(Object.keys(fromEditableHeaders(parsed.headers))).toEqual(['__proto__', 'a']);
  });

  it('refuses nesting deeper than it can send', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(() => fromEditableHeaders({ deep })).toThrow(/nested deeper/);
  });
});
