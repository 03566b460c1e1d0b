// AMQP header values as amqplib decodes them, turned into JSON that keeps their type.
// amqplib keeps the categories (string, number, boolean, timestamp, decimal, byte array,
// void, table, array) but not integer widths; see docs/decisions/0002-ingest-and-dedupe.md.

export type TTypedValue =
  | { type: 'string'; value: string }
  | { type: 'string'; base64: string } // a string holding U+0000, which PostgreSQL text/jsonb refuse
  | { type: 'number'; value: number | 'NaN' | 'Infinity' | '-Infinity' }
  | { type: 'boolean'; value: boolean }
  | { type: 'timestamp'; value: number } // seconds since the epoch
  | { type: 'decimal'; value: { places: number; digits: number } }
  | { type: 'bytes'; base64: string }
  | { type: 'void' }
  | { type: 'array'; value: TTypedValue[] }
  | { type: 'table'; value: TTypedTable }
  | { type: 'too-deep'; depth: number }; // nesting cut at MAX_DEPTH (see below)

export type TTypedTable = { [key: string]: TTypedValue };

type TTagged = { '!': string; value: unknown };

function isTagged(v: object): v is TTagged {
  return Object.hasOwn(v, '!') && typeof (v as TTagged)['!'] === 'string' && Object.hasOwn(v, 'value');
}

/**
 * A wire table's entries, "__proto__" included. amqplib decodes a table by assignment
 * (fields[key] = value), so a "__proto__" key whose value is a table, array, byte array,
 * decimal, timestamp or void becomes the object's prototype instead of an entry: it would
 * be dropped from the stored headers, and its own keys (a forged x-death) would read as
 * the message's. (A string, number or boolean value there is dropped by the assignment
 * itself, before ingest sees it.)
 */
export function ownEntries(table: object): [string, unknown][] {
  const entries: [string, unknown][] = Object.keys(table).map((k) => [k, (table as Record<string, unknown>)[k]]);
  const proto: unknown = Object.getPrototypeOf(table);
  if (proto !== Object.prototype && !Object.hasOwn(table, '__proto__')) entries.push(['__proto__', proto]);
  return entries;
}

/** The table as a plain object of its own entries: a "__proto__" entry is a key like any other. */
export function ownTable(table: object): Record<string, unknown> {
  return Object.fromEntries(ownEntries(table));
}

export function toTypedString(value: string): TTypedValue {
  return value.includes('\u0000')
    ? { type: 'string', base64: Buffer.from(value, 'utf8').toString('base64') }
    : { type: 'string', value };
}

/**
 * Tables and arrays nested deeper than this are cut: every step after it (serialising,
 * hashing, storing) recurses, and a hostile header nested thousands deep would otherwise
 * overflow the stack and crash the worker on every redelivery.
 */
export const MAX_DEPTH = 64;

export function toTypedValue(value: unknown, depth = 0): TTypedValue {
  if (value === null || value === undefined) return { type: 'void' };
  if (typeof value === 'string') return toTypedString(value);
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (typeof value === 'number') {
    return { type: 'number', value: Number.isFinite(value) ? value : (String(value) as 'NaN') };
  }
  if (typeof value === 'bigint') return { type: 'number', value: Number(value) };
  // ArrayBuffer.isView, not instanceof: a table whose "__proto__" was a byte array is a plain
  // object with a Buffer prototype (see ownEntries), which instanceof takes for bytes.
  if (ArrayBuffer.isView(value)) {
    return { type: 'bytes', base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if ((Array.isArray(value) || typeof value === 'object') && depth >= MAX_DEPTH) return { type: 'too-deep', depth };
  if (Array.isArray(value)) return { type: 'array', value: value.map((v) => toTypedValue(v, depth + 1)) };
  if (typeof value === 'object') {
    if (isTagged(value)) {
      if (value['!'] === 'timestamp' && typeof value.value === 'number') {
        return { type: 'timestamp', value: value.value };
      }
      const d = value.value as { places?: unknown; digits?: unknown } | null;
      if (value['!'] === 'decimal' && typeof d?.places === 'number' && typeof d.digits === 'number') {
        return { type: 'decimal', value: { places: d.places, digits: d.digits } };
      }
    }
    return { type: 'table', value: toTypedTable(value as Record<string, unknown>, depth + 1) };
  }
  return toTypedString(String(value));
}

/** A key as jsonb can hold it: U+0000 is written as the six characters "\u0000". */
function jsonbKey(key: string): string {
  return key.includes('\u0000') ? key.replaceAll('\u0000', '\\u0000') : key;
}

export function toTypedTable(table: Record<string, unknown> | undefined, depth = 0): TTypedTable {
  if (!table) return {};
  // fromEntries defines own properties, so a key such as "__proto__" stays plain data.
  return Object.fromEntries(ownEntries(table).map(([k, v]) => [jsonbKey(k), toTypedValue(v, depth)]));
}

export function typedString(value: TTypedValue | undefined): string | undefined {
  if (value?.type !== 'string') return undefined;
  return 'value' in value ? value.value : Buffer.from(value.base64, 'base64').toString('utf8');
}

/** Text for a text column: PostgreSQL text cannot hold U+0000. */
export function stripNul(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}
