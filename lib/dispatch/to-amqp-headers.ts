import type { TTypedTable, TTypedValue } from '../ingest/typed-headers';

// Stored typed header values back into what amqplib encodes as the same AMQP types.
// Integer widths are amqplib's choice (docs/decisions/0002-ingest-and-dedupe.md).

export class UnsendableHeaderError extends Error {}

function toAmqpValue(v: TTypedValue, path: string): unknown {
  switch (v.type) {
    case 'string':
      return 'value' in v ? v.value : Buffer.from(v.base64, 'base64').toString('utf8');
    case 'number':
      // amqplib would take a non-finite number for an integer; a double can hold it.
      return typeof v.value === 'number' ? v.value : { '!': 'double', value: Number(v.value) };
    case 'boolean':
      return v.value;
    case 'timestamp':
      return { '!': 'timestamp', value: v.value };
    case 'decimal':
      return { '!': 'decimal', value: v.value };
    case 'bytes':
      return Buffer.from(v.base64, 'base64');
    case 'void':
      return null;
    case 'array':
      return v.value.map((item, i) => toAmqpValue(item, `${path}[${i}]`));
    case 'table':
      return toAmqpTable(v.value, path);
    case 'too-deep':
      throw new UnsendableHeaderError(`header ${path} was nested too deep to store; edit the message to replace it`);
  }
}

export function toAmqpTable(table: TTypedTable, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    Object.defineProperty(out, key, {
      value: toAmqpValue(value, path ? `${path}.${key}` : key), enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}

/** amqplib encodes all properties of a message into one 64 KiB buffer; this leaves room for the rest and the console's own headers. */
export const MAX_HEADERS_BYTES = 60 * 1024;

// The encoded size of a field value, by the rules amqplib encodes with (lib/codec.js):
// a type byte, then the value; integers take the smallest signed width that holds them,
// fractions (and integers from 2^50) a double; strings and byte arrays a 32-bit length.
function valueSize(v: TTypedValue): number {
  switch (v.type) {
    case 'string':
      return 1 + 4 + ('value' in v ? Buffer.byteLength(v.value) : Buffer.from(v.base64, 'base64').length);
    case 'number': {
      const n = typeof v.value === 'number' ? v.value : NaN;
      if (!Number.isInteger(n) || Math.abs(n) >= 2 ** 50) return 1 + 8;
      return 1 + (n >= -128 && n < 128 ? 1 : n >= -0x8000 && n < 0x8000 ? 2 : n >= -0x80000000 && n < 0x80000000 ? 4 : 8);
    }
    case 'boolean':
      return 1 + 1;
    case 'timestamp':
      return 1 + 8;
    case 'decimal':
      return 1 + 1 + 4;
    case 'bytes':
      return 1 + 4 + Buffer.from(v.base64, 'base64').length;
    case 'void':
      return 1;
    case 'array':
      return 1 + 4 + v.value.reduce((sum, item) => sum + valueSize(item), 0);
    case 'table':
      return 1 + tableSize(v.value);
    case 'too-deep':
      return 0;
  }
}

function tableSize(table: TTypedTable): number {
  return 4 + Object.entries(table).reduce((sum, [key, value]) => sum + 1 + Buffer.byteLength(key) + valueSize(value), 0);
}

function assertInRange(v: TTypedValue, path: string): void {
  if (v.type === 'decimal' && (v.value.places < 0 || v.value.places > 255 || v.value.digits < 0 || v.value.digits > 0xffffffff)) {
    throw new UnsendableHeaderError(`header ${path} is a decimal AMQP cannot carry (places 0-255, digits 0-4294967295)`);
  }
  if (v.type === 'array') v.value.forEach((item, i) => assertInRange(item, `${path}[${i}]`));
  if (v.type === 'table') for (const [k, item] of Object.entries(v.value)) assertInRange(item, `${path}.${k}`);
}

/** Refuses headers a publish could not encode (too large, out-of-range values), naming why. */
export function assertEncodableHeaders(table: TTypedTable): void {
  toAmqpTable(table); // refuses what was cut at ingest
  for (const [key, value] of Object.entries(table)) assertInRange(value, key);
  const size = tableSize(table);
  if (size > MAX_HEADERS_BYTES) throw new UnsendableHeaderError(`the headers take ${size} bytes encoded, more than the ${MAX_HEADERS_BYTES} a message can carry`);
}
