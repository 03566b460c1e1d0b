import { describe, expect, it } from 'vitest';
import type { TXDeathEntry } from '../ingest/parse-death-headers';
import { ingestLagSeconds } from './ingest-lag';

const entry = (over: Partial<TXDeathEntry>): TXDeathEntry => ({
  queue: 'orders', reason: 'rejected', count: 1, time: '2026-11-29T10:00:00.000Z', exchange: '', routingKeys: ['orders'], originalExpiration: null, ...over,
});
const at = new Date('2026-11-29T10:00:07.500Z');

describe('ingestLagSeconds', () => {
  it('is the time from the newest x-death to the commit', () => {
    expect(ingestLagSeconds([entry({})], at)).toBe(7.5);
    expect(ingestLagSeconds([entry({}), entry({ queue: 'older', time: '2026-11-28T10:00:00.000Z' })], at)).toBe(7.5);
  });

  it('is not measured when the newest entry was dead-lettered before (its time is the first death of the pair)', () => {
    expect(ingestLagSeconds([entry({ count: 2 })], at)).toBeNull();
  });

  it('is not measured without x-death or without a time', () => {
    expect(ingestLagSeconds([], at)).toBeNull();
    expect(ingestLagSeconds([entry({ time: null })], at)).toBeNull();
  });

  it('is never negative when the broker clock runs ahead', () => {
    expect(ingestLagSeconds([entry({ time: '2026-11-29T10:00:09.000Z' })], at)).toBe(0);
  });
});
