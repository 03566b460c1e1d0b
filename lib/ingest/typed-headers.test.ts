import { describe, expect, it } from 'vitest';
import { stripNul, toTypedTable, toTypedValue, typedString } from './typed-headers';

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
});
