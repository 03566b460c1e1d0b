import { describe, expect, it } from 'vitest';
import { parseDeathHeaders, parseXDeath, toDeathReason } from './parse-death-headers';

const ts = (s: number) => ({ '!': 'timestamp', value: s });

describe('parseDeathHeaders', () => {
  it('derives origin, reason, counts and times from x-death, most recent first', () => {
    const info = parseDeathHeaders({
      'x-death': [
        { queue: 'retry', reason: 'expired', count: 2, time: ts(1_700_000_100), exchange: 'retry-x', 'routing-keys': ['a'] },
        { queue: 'orders', reason: 'rejected', count: 3, time: ts(1_700_000_000), exchange: 'shop', 'routing-keys': ['order.created', 'cc'], 'original-expiration': '500' },
      ],
      'x-first-death-queue': 'orders', 'x-first-death-reason': 'rejected', 'x-first-death-exchange': 'shop',
    });
    expect(info).toMatchObject({
      origin: 'retry', reason: 'expired', exchange: 'retry-x', routingKeys: ['a'], deathCount: 5,
      firstDeathAt: new Date(1_700_000_000_000), lastDeathAt: new Date(1_700_000_100_000),
      firstDeath: { queue: 'orders', reason: 'rejected', exchange: 'shop' }, lastDeath: null,
    });
    expect(info.xDeath[1]).toEqual({
      queue: 'orders', reason: 'rejected', count: 3, time: new Date(1_700_000_000_000).toISOString(),
      exchange: 'shop', routingKeys: ['order.created', 'cc'], originalExpiration: '500',
    });
  });

  it('prefers x-last-death-* (RabbitMQ 3.13+) for origin and reason', () => {
    const info = parseDeathHeaders({
      'x-death': [{ queue: 'stale', reason: 'rejected', count: 1 }],
      'x-last-death-queue': 'billing', 'x-last-death-reason': 'delivery_limit', 'x-last-death-exchange': 'bx',
    });
    expect(info).toMatchObject({ origin: 'billing', reason: 'delivery_limit', lastDeath: { queue: 'billing', reason: 'delivery_limit', exchange: 'bx' } });
  });

  it('gives unknown origin and reason for a message nobody dead-lettered', () => {
    expect(parseDeathHeaders(undefined)).toMatchObject({ origin: null, reason: 'unknown', deathCount: 0, xDeath: [], routingKeys: null, firstDeathAt: null });
  });

  it('survives forged and malformed x-death without throwing', () => {
    const info = parseDeathHeaders({
      'x-death': [
        'not a table', null, 42,
        { queue: 7, reason: 'rejected' },
        { queue: 'q', reason: 'rejected', count: -5, time: 'yesterday', 'routing-keys': 'nope' },
        { queue: 'q2\u0000', reason: 'made-up', count: 1e12 },
      ],
    });
    expect(info.xDeath).toEqual([
      { queue: 'q', reason: 'rejected', count: 1, time: null, exchange: null, routingKeys: [], originalExpiration: null },
      { queue: 'q2', reason: 'made-up', count: 1e12, time: null, exchange: null, routingKeys: [], originalExpiration: null },
    ]);
    expect(info.origin).toBe('q');
    expect(info.deathCount).toBe(2_147_483_647);
    expect(parseXDeath({ queue: 'q' })).toEqual([]);
  });

  it('maps only the four broker reasons', () => {
    expect(['rejected', 'expired', 'maxlen', 'delivery_limit', 'Rejected', '', undefined].map(toDeathReason)).toEqual([
      'rejected', 'expired', 'maxlen', 'delivery_limit', 'unknown', 'unknown', 'unknown',
    ]);
  });
});
