import type { TTypedValue } from '@/lib/ingest/typed-headers';
import { base64ToBytes } from './body-bytes';

/** digits / 10^places, exactly (no floating point): {digits: 1234, places: 2} → "12.34". */
export function formatDecimal({ digits, places }: { digits: number; places: number }): string {
  const negative = digits < 0;
  const raw = Math.abs(Math.trunc(digits)).toString();
  if (places <= 0) return (negative ? '-' : '') + raw;
  const padded = raw.padStart(places + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -places)}.${padded.slice(-places)}`;
}

/** An AMQP timestamp (seconds since the epoch) as ISO 8601, or null when out of range. */
export function timestampToIso(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A string header holding U+0000 arrives base64-encoded; shown with a visible ␀. */
export function typedStringText(value: Extract<TTypedValue, { type: 'string' }>): string {
  if ('value' in value) return value.value;
  return new TextDecoder().decode(base64ToBytes(value.base64)).replaceAll('\u0000', '␀');
}

/** Keys in a stable, readable order (the store does not keep the broker's order). */
export function sortedEntries<T>(table: Record<string, T>): [string, T][] {
  return Object.keys(table)
    .sort((a, b) => a.localeCompare(b))
    .map((key) => [key, table[key]!]);
}
