import type { TTypedTable, TTypedValue } from '../ingest/typed-headers';

// The headers the console sets on every publish (docs/decisions/0007). Consumers can dedupe
// on the replay id; the console reads them back when a published message dead-letters again.

export const CONSOLE_HEADER_PREFIX = 'x-dlq-console-';
export const HEADER = {
  replayId: 'x-dlq-console-replay-id',
  replayCount: 'x-dlq-console-replay-count',
  originalMessageId: 'x-dlq-console-original-message-id',
  revision: 'x-dlq-console-revision',
  redirectedFrom: 'x-dlq-console-redirected-from',
  deathReason: 'x-dlq-console-death-reason',
  team: 'x-dlq-console-team',
  redirectReason: 'x-dlq-console-redirect-reason',
} as const;

/** Set by the broker when it dead-letters; never sent back (RabbitMQ 4 ignores them, 3.x would append). */
export function isDeathHeader(key: string): boolean {
  return key === 'x-death' || key.startsWith('x-first-death-') || key.startsWith('x-last-death-');
}

export function isConsoleHeader(key: string): boolean {
  return key.startsWith(CONSOLE_HEADER_PREFIX);
}

export type TConsoleLineage = { replayId: string | null; originalMessageId: bigint | null; replayCount: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BIGINT = 9223372036854775807n;

function asString(v: TTypedValue | undefined): string | null {
  return v?.type === 'string' && 'value' in v ? v.value : null;
}

/**
 * Reads the lineage headers of an arriving message. They come off the wire like any other
 * header, so anything malformed (a forged or mangled value) is ignored, never trusted.
 */
export function readConsoleLineage(headers: TTypedTable): TConsoleLineage {
  const replayId = asString(headers[HEADER.replayId]);
  const original = asString(headers[HEADER.originalMessageId]);
  const count = headers[HEADER.replayCount];
  const countValue = count?.type === 'number' && typeof count.value === 'number' ? count.value : null;
  return {
    replayId: replayId && UUID.test(replayId) ? replayId.toLowerCase() : null,
    originalMessageId: original && /^[1-9][0-9]{0,18}$/.test(original) && BigInt(original) <= MAX_BIGINT ? BigInt(original) : null,
    replayCount: countValue !== null && Number.isInteger(countValue) && countValue >= 0 && countValue <= 1_000_000 ? countValue : 0,
  };
}
