import type { TTypedTable, TTypedValue } from '../ingest/typed-headers';

// Stored typed header values back into what amqplib encodes as the same AMQP types.
// Integer widths are amqplib's choice (docs/decisions/0002-ingest-and-dedupe.md).

export class UnsendableHeaderError extends Error {}

function toAmqpValue(v: TTypedValue, path: string): unknown {
  switch (v.type) {
    case 'string':
      return 'value' in v ? v.value : Buffer.from(v.base64, 'base64').toString('utf8');
    case 'number':
      return typeof v.value === 'number' ? v.value : Number(v.value);
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
