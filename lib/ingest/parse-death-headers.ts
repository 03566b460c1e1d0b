import { z } from 'zod';
import { stripNul } from './typed-headers';

// What the broker wrote about a message's deaths, read leniently: a malformed or forged
// x-death never stops ingest (the raw headers are stored as they came); it only leaves
// the derived columns empty or "unknown".

export const DEATH_REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit'] as const;
export type TDeathReason = (typeof DEATH_REASONS)[number] | 'unknown';

const ZText = z.string().transform(stripNul);
const ZTimestamp = z
  .union([z.object({ '!': z.literal('timestamp'), value: z.number() }), z.number()])
  .transform((t) => new Date((typeof t === 'number' ? t : t.value) * 1000))
  // PostgreSQL timestamps hold years 1 to 9999 (well, 4713 BC to 294276 AD, but not as ISO text).
  .refine((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999);

const ZXDeathEntry = z.object({
  queue: ZText,
  reason: ZText,
  count: z.number().int().nonnegative().catch(1),
  time: ZTimestamp.optional().catch(undefined),
  exchange: ZText.optional().catch(undefined),
  'routing-keys': z.array(ZText).optional().catch(undefined),
  'original-expiration': z.union([ZText, z.number().transform(String)]).optional().catch(undefined),
});

export type TXDeathEntry = {
  queue: string;
  reason: string;
  count: number;
  time: string | null;
  exchange: string | null;
  routingKeys: string[];
  originalExpiration: string | null;
};

export type TDeathSummary = {
  queue: string | null;
  reason: string | null;
  exchange: string | null;
};

export type TDeathInfo = {
  xDeath: TXDeathEntry[];
  firstDeath: TDeathSummary | null;
  lastDeath: TDeathSummary | null;
  origin: string | null;
  reason: TDeathReason;
  exchange: string | null;
  routingKeys: string[] | null;
  deathCount: number;
  firstDeathAt: Date | null;
  lastDeathAt: Date | null;
};

export function parseXDeath(raw: unknown): TXDeathEntry[] {
  if (!Array.isArray(raw)) return [];
  const entries: TXDeathEntry[] = [];
  for (const item of raw) {
    const parsed = ZXDeathEntry.safeParse(item);
    if (!parsed.success) continue;
    const e = parsed.data;
    entries.push({
      queue: e.queue,
      reason: e.reason,
      count: e.count,
      time: e.time ? e.time.toISOString() : null,
      exchange: e.exchange ?? null,
      routingKeys: e['routing-keys'] ?? [],
      originalExpiration: e['original-expiration'] ?? null,
    });
  }
  return entries;
}

function summary(headers: Record<string, unknown>, prefix: 'x-first-death' | 'x-last-death'): TDeathSummary | null {
  const text = (key: string) => {
    const v = headers[`${prefix}-${key}`];
    // ArrayBuffer.isView: a table with a byte-array "__proto__" passes instanceof Buffer.
    return typeof v === 'string' ? stripNul(v) : ArrayBuffer.isView(v) ? stripNul(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8')) : null;
  };
  const s = { queue: text('queue'), reason: text('reason'), exchange: text('exchange') };
  return s.queue === null && s.reason === null && s.exchange === null ? null : s;
}

export function toDeathReason(value: string | null | undefined): TDeathReason {
  return (DEATH_REASONS as readonly string[]).includes(value ?? '') ? (value as TDeathReason) : 'unknown';
}

export function parseDeathHeaders(headers: Record<string, unknown> | undefined): TDeathInfo {
  const h = headers ?? {};
  const xDeath = parseXDeath(h['x-death']);
  const firstDeath = summary(h, 'x-first-death');
  const lastDeath = summary(h, 'x-last-death');
  // x-death is most recent first; x-last-death-* (3.13+) is the most direct answer when present.
  const latest = xDeath[0];
  const times = xDeath.map((e) => e.time).filter((t): t is string => t !== null).sort();
  const summed = xDeath.reduce((n, e) => n + e.count, 0);
  return {
    xDeath,
    firstDeath,
    lastDeath,
    origin: lastDeath?.queue ?? latest?.queue ?? firstDeath?.queue ?? null,
    reason: toDeathReason(lastDeath?.reason ?? latest?.reason ?? firstDeath?.reason),
    exchange: latest?.exchange ?? lastDeath?.exchange ?? firstDeath?.exchange ?? null,
    routingKeys: latest ? latest.routingKeys : null,
    deathCount: Math.min(summed > 0 ? summed : firstDeath || lastDeath ? 1 : 0, 2_147_483_647),
    firstDeathAt: times.length ? new Date(times[0]!) : null,
    lastDeathAt: times.length ? new Date(times[times.length - 1]!) : null,
  };
}
