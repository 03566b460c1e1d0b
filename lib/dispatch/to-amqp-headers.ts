import path from 'node:path';
import { createRequire } from 'node:module';
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

type TCodec = { encodeTable(buffer: Buffer, value: unknown, offset: number): number };
// amqplib's own encoder (not in its typings), so the check is exactly what a publish does.
// Reached by file path: the package's exports map does not list it.
const requireHere = createRequire(import.meta.url);
const codec = requireHere(path.join(path.dirname(requireHere.resolve('amqplib')), 'lib', 'codec.js')) as TCodec;

/** amqplib encodes all properties of a message into one 64 KiB buffer; this leaves room for the rest and the console's own headers. */
export const MAX_HEADERS_BYTES = 60 * 1024;

/** Refuses headers a publish could not encode (too large, out-of-range values), naming why. */
export function assertEncodableHeaders(table: TTypedTable): void {
  try {
    codec.encodeTable(Buffer.alloc(MAX_HEADERS_BYTES), toAmqpTable(table), 0);
  } catch (error) {
    if (error instanceof UnsendableHeaderError) throw error;
    const message = /exceeds/.test((error as Error).message)
      ? `the headers take more than ${MAX_HEADERS_BYTES} bytes encoded`
      : `the headers cannot be encoded for AMQP: ${(error as Error).message}`;
    throw new UnsendableHeaderError(message);
  }
}
