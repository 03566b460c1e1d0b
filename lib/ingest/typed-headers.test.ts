import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownTable, stripNul, toTypedTable, toTypedValue, typedString } from './typed-headers';

// amqplib's own table codec, to see headers exactly as the worker receives them.
const require = createRequire(import.meta.url);
const codec = require(path.join(path.dirname(require.resolve('amqplib')), 'lib/codec.js')) as {
  encodeTable(buffer: Buffer, table: object, offset: number): number;
  decodeFields(slice: Buffer): Record<string, unknown>;
};
function overTheWire(table: object): Record<string, unknown> {
  const buffer = Buffer.alloc(65536);
  const size = codec.encodeTable(buffer, table, 0);
  return codec.decodeFields(buffer.subarray(4, size)); // past the table's length prefix
}

describe('toTypedValue', () => {
  it('keeps every AMQP value category', () => {
    expect(toTypedTable({
      s: 'x', n: 3, f: 0.5, b: false, v: null,
      t: { '!': 'timestamp', value: 1 }, d: { '!': 'decimal', value: { places: 1, digits: 5 } },
      x: Buffer.from([1, 2]), a: [1, 'a'], tbl: { k: true },
    })).toEqual({
      s: { type: 'string', value: 'x' }, n: { type: 'number', value: 3 }, f: { type: 'number', value: 0.5 },
      b: { type: 'boolean', value: false }, v: { type: 'void' },
      t: { type: 'timestamp', value: 1 }, d: { type: 'decimal', value: { places: 1, digits: 5 } },
      x: { type: 'bytes', base64: 'AQI=' }, a: { type: 'array', value: [{ type: 'number', value: 3 - 2 }, { type: 'string', value: 'a' }] },
      tbl: { type: 'table', value: { k: { type: 'boolean', value: true } } },
    });
  });

  it('stores what PostgreSQL jsonb cannot hold in a form it can', () => {
    expect(toTypedValue(Number.NaN)).toEqual({ type: 'number', value: 'NaN' });
    expect(toTypedValue(-Infinity)).toEqual({ type: 'number', value: '-Infinity' });
    const nul = toTypedValue('a\u0000b');
    expect(nul).toEqual({ type: 'string', base64: Buffer.from('a\u0000b').toString('base64') });
    expect(typedString(nul)).toBe('a\u0000b');
    expect(stripNul('a\u0000b')).toBe('ab');
    expect(Object.keys(toTypedTable({ 'k\u0000ey': 1 }))).toEqual(['k\\u0000ey']);
  });

  it('keeps a "__proto__" key as plain data', () => {
    const raw = Object.defineProperty({}, '__proto__', { value: 'x', enumerable: true });
    const table = toTypedTable(raw);
    expect(Object.keys(table)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(table)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(table))).toEqual({ ['__proto__']: { type: 'string', value: 'x' } });
  });

  it('does not mistake a table with a "!" key for a tagged value', () => {
    expect(toTypedValue({ '!': 'timestamp', value: 'soon' })).toEqual({
      type: 'table', value: { '!': { type: 'string', value: 'timestamp' }, value: { type: 'string', value: 'soon' } },
    });
  });

  it('keeps a "__proto__" header that amqplib decoded into the prototype', () => {
    const sent = JSON.parse('{"__proto__":{"x-death":[{"queue":"forged"}]},"inner":{"__proto__":null},"bytes":{"__proto__":"kept?"},"plain":1}') as object;
    const received = overTheWire(sent);
    // What the bug looked like: the key is gone and its contents are inherited.
    expect(Object.keys(received)).toEqual(['inner', 'bytes', 'plain']);
    expect(received['x-death']).toBeDefined();
    const table = toTypedTable(received);
    expect(Object.keys(table).sort()).toEqual(['__proto__', 'bytes', 'inner', 'plain']);
    expect(Object.getOwnPropertyDescriptor(table, '__proto__')!.value).toEqual({
      type: 'table', value: { 'x-death': { type: 'array', value: [{ type: 'table', value: { queue: { type: 'string', value: 'forged' } } }] } },
    });
    expect(table.inner).toEqual({ type: 'table', value: Object.fromEntries([['__proto__', { type: 'void' }]]) });
    // A string value is dropped by amqplib's assignment itself, before ingest sees it.
    expect(table.bytes).toEqual({ type: 'table', value: {} });
    expect(ownTable(received)['x-death']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x-death']).toBeUndefined();
  });

  it('keeps a nested table whose "__proto__" is a byte array as a table, with the bytes under that key', () => {
    const sent = { meta: JSON.parse('{"k":1}') as Record<string, unknown>, list: [{}] } as Record<string, unknown>;
    Object.defineProperty(sent.meta, '__proto__', { value: Buffer.from('AB'), enumerable: true });
    Object.defineProperty((sent.list as object[])[0], '__proto__', { value: Buffer.from('C'), enumerable: true });
    const received = overTheWire(sent);
    // What the bug looked like: the decoded table passes for a Buffer, and reading it as one throws.
    expect(Buffer.isBuffer(received.meta)).toBe(true);
    const table = toTypedTable(received);
    expect(table.meta).toEqual({ type: 'table', value: Object.fromEntries([['k', { type: 'number', value: 1 }], ['__proto__', { type: 'bytes', base64: 'QUI=' }]]) });
    expect(table.list).toEqual({ type: 'array', value: [{ type: 'table', value: Object.fromEntries([['__proto__', { type: 'bytes', base64: 'Qw==' }]]) }] });
  });
});
