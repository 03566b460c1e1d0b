import { describe, expect, it } from 'vitest';
import { toTypedTable } from '../ingest/typed-headers';
import { buildPublish } from './build-publish';
import type { TClaimedDispatch } from './claim-dispatches';

const dispatch: TClaimedDispatch = {
  id: '11111111-1111-4111-8111-111111111111', actionId: '22222222-2222-4222-8222-222222222222', messageId: 5n, kind: 'replay',
  revisionId: null, exchange: '', routingKey: 'orders', teamName: null, sandboxId: null, sandboxName: null, replayCount: 2, attempts: 1, reason: 'fixed',
};

const source = {
  messageId: 5n,
  originalMessageId: null,
  originQueue: 'orders',
  deathReason: 'rejected',
  properties: toTypedTable({ contentType: 'application/json', messageId: 'm', userId: 'someone', expiration: '100', deliveryMode: 1, priority: 3 }),
  headers: toTypedTable({ a: 1, 'x-death': [{ queue: 'orders' }], 'x-first-death-queue': 'orders', 'x-last-death-reason': 'rejected', 'x-dlq-console-replay-id': 'old' }),
  revisionNumber: 0,
};

describe('buildPublish', () => {
  it('sends the properties as they arrived minus userId and expiration, and the console headers instead of the death history', () => {
    const p = buildPublish(dispatch, source);
    expect(p).toMatchObject({ exchange: '', routingKey: 'orders' });
    expect(p.options).toEqual({
      mandatory: true, deliveryMode: 1, contentType: 'application/json', messageId: 'm', priority: 3,
      headers: {
        a: 1,
        'x-dlq-console-replay-id': dispatch.id,
        'x-dlq-console-replay-count': 2,
        'x-dlq-console-original-message-id': '5',
        'x-dlq-console-revision': 0,
      },
    });
  });

  it('makes a message that said nothing persistent, and says where a redirect came from', () => {
    const p = buildPublish(
      { ...dispatch, kind: 'redirect', teamName: 'billing', exchange: 'teams', routingKey: 'billing' },
      { ...source, properties: {}, originalMessageId: 1n, revisionNumber: 3 },
    );
    expect(p.options.deliveryMode).toBe(2);
    expect(p.options.headers).toMatchObject({
      'x-dlq-console-original-message-id': '1',
      'x-dlq-console-revision': 3,
      'x-dlq-console-redirected-from': 'orders',
      'x-dlq-console-death-reason': 'rejected',
      'x-dlq-console-team': 'billing',
      'x-dlq-console-redirect-reason': 'fixed',
    });
  });
});

describe('assertEncodableHeaders', () => {
  it('measures headers as amqplib encodes them', async () => {
    const { createRequire } = await import('node:module');
    const path = await import('node:path');
    const req = createRequire(import.meta.url);
    const codec = req(path.join(path.dirname(req.resolve('amqplib')), 'lib', 'codec.js')) as { encodeTable(b: Buffer, v: unknown, o: number): number };
    const { toAmqpTable } = await import('./to-amqp-headers');
    const table = toTypedTable({
      s: 'héllo', b: true, v: null, i8: 5, i16: 1000, i32: 100_000, i64: 2 ** 40, f: 1.5, big: 2 ** 52, nan: NaN,
      t: { '!': 'timestamp', value: 1 }, d: { '!': 'decimal', value: { places: 2, digits: 3 } }, raw: Buffer.from([1, 2, 3]),
      list: ['a', 1, [true]], nested: { x: { y: 'z' } },
    });
    const buffer = Buffer.alloc(4096);
    const written = codec.encodeTable(buffer, toAmqpTable(table), 0);
    const { MAX_HEADERS_BYTES, assertEncodableHeaders } = await import('./to-amqp-headers');
    expect(() => assertEncodableHeaders(table)).not.toThrow();
    // The estimate is exact: pad the table to the limit by the estimate, and amqplib agrees byte for byte.
    const padded = toTypedTable({ pad: 'x'.repeat(MAX_HEADERS_BYTES - written - 1 - 3 - 1 - 4) });
    expect(() => assertEncodableHeaders({ ...table, ...padded })).not.toThrow();
    expect(codec.encodeTable(Buffer.alloc(MAX_HEADERS_BYTES), toAmqpTable({ ...table, ...padded }), 0)).toBe(MAX_HEADERS_BYTES);
    expect(() => assertEncodableHeaders({ ...table, pad: { type: 'string', value: 'x'.repeat(MAX_HEADERS_BYTES - written - 1 - 3 - 1 - 4 + 1) } })).toThrow(/more than/);
  });
});
