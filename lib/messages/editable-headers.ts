import { AppError } from '../errors';
import { isConsoleHeader, isDeathHeader } from '../dispatch/console-headers';
import { assertEncodableHeaders, UnsendableHeaderError } from '../dispatch/to-amqp-headers';
import { toTypedString, type TTypedTable, type TTypedValue } from '../ingest/typed-headers';
import type { TEditableHeaders } from './message-dto';

// Headers as an operator edits them: plain JSON, with amqplib's own tagged form for the
// types JSON cannot say ({ "!": "timestamp", value: seconds }, decimal, bytes). The death
// headers and the console's own headers are not editable: they are never sent as stored.

const TAGS = ['timestamp', 'decimal', 'bytes', 'number'] as const;
const MAX_DEPTH = 32;

export function isEditableHeader(key: string): boolean {
  return !isDeathHeader(key) && !isConsoleHeader(key);
}

function toEditableValue(v: TTypedValue): unknown {
  switch (v.type) {
    case 'string':
      return 'value' in v ? v.value : Buffer.from(v.base64, 'base64').toString('utf8');
    case 'number':
      return typeof v.value === 'number' ? v.value : { '!': 'number', value: v.value };
    case 'boolean':
      return v.value;
    case 'timestamp':
      return { '!': 'timestamp', value: v.value };
    case 'decimal':
      return { '!': 'decimal', value: v.value };
    case 'bytes':
      return { '!': 'bytes', value: v.base64 };
    case 'void':
      return null;
    case 'array':
      return v.value.map(toEditableValue);
    case 'table':
      return toEditableHeaders(v.value, false);
    case 'too-deep':
      return { '!': 'too-deep', value: v.depth };
  }
}

export function toEditableHeaders(table: TTypedTable, topLevel = true): TEditableHeaders {
  const out: TEditableHeaders = {};
  for (const [key, value] of Object.entries(table)) {
    if (topLevel && !isEditableHeader(key)) continue;
    Object.defineProperty(out, key, { value: toEditableValue(value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function invalid(path: string, message: string): never {
  throw new AppError('INVALID_INPUT', `Header ${path}: ${message}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fromEditableValue(v: unknown, path: string, depth: number): TTypedValue {
  if (depth > MAX_DEPTH) invalid(path, `nested deeper than ${MAX_DEPTH} levels`);
  if (v === null) return { type: 'void' };
  if (typeof v === 'string') return toTypedString(v);
  if (typeof v === 'boolean') return { type: 'boolean', value: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) invalid(path, 'must be a finite number');
    return { type: 'number', value: v };
  }
  if (Array.isArray(v)) return { type: 'array', value: v.map((item, i) => fromEditableValue(item, `${path}[${i}]`, depth + 1)) };
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.includes('!')) {
      const tag = v['!'];
      if (keys.length !== 2 || !keys.includes('value') || !(TAGS as readonly unknown[]).includes(tag)) {
        invalid(path, `a tagged value is { "!": "${TAGS.join('" | "')}", "value": ... }`);
      }
      const value = v.value;
      if (tag === 'timestamp') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 253402300799) {
          invalid(path, 'a timestamp value is whole seconds since 1970 (up to the year 9999)');
        }
        return { type: 'timestamp', value };
      }
      if (tag === 'number') {
        if (value !== 'NaN' && value !== 'Infinity' && value !== '-Infinity') invalid(path, 'a tagged number is "NaN", "Infinity" or "-Infinity" (write other numbers plainly)');
        return { type: 'number', value };
      }
      if (tag === 'decimal') {
        const d = value as { places?: unknown; digits?: unknown };
        if (!isPlainObject(d) || !Number.isInteger(d.places) || (d.places as number) < 0 || (d.places as number) > 255
          || !Number.isInteger(d.digits) || (d.digits as number) < 0 || (d.digits as number) > 0xffffffff) {
          invalid(path, 'a decimal value is { "places": 0-255, "digits": 0 to 4294967295 }');
        }
        return { type: 'decimal', value: { places: d.places as number, digits: d.digits as number } };
      }
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
        invalid(path, 'a bytes value is base64');
      }
      return { type: 'bytes', base64: value };
    }
    return { type: 'table', value: fromEditableTable(v, path, depth + 1) };
  }
  invalid(path, 'is not a JSON value');
}

function fromEditableTable(obj: Record<string, unknown>, path: string, depth: number): TTypedTable {
  const out: TTypedTable = {};
  for (const key of Object.keys(obj)) {
    const keyPath = path ? `${path}.${key}` : JSON.stringify(key);
    if (key.length === 0) invalid(keyPath, 'a header name cannot be empty');
    if (Buffer.byteLength(key) > 255) invalid(keyPath, 'a header name is at most 255 bytes');
    if (key.includes('\u0000')) invalid(keyPath, 'a header name cannot hold U+0000');
    Object.defineProperty(out, key, {
      value: fromEditableValue(obj[key], keyPath, depth), enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}

/** The operator's headers, typed for storage; anything that cannot be sent is a 400 naming the header. */
export function fromEditableHeaders(input: unknown): TTypedTable {
  if (!isPlainObject(input)) throw new AppError('INVALID_INPUT', 'Headers must be a JSON object');
  for (const key of Object.keys(input)) {
    if (isDeathHeader(key)) invalid(JSON.stringify(key), 'is set by the broker when it dead-letters; it is kept in the history, not sent');
    if (isConsoleHeader(key)) invalid(JSON.stringify(key), 'is set by the console on every publish');
  }
  const table = fromEditableTable(input, '', 0);
  try {
    assertEncodableHeaders(table);
  } catch (error) {
    if (error instanceof UnsendableHeaderError) throw new AppError('INVALID_INPUT', `Headers: ${error.message}`);
    throw error;
  }
  return table;
}
