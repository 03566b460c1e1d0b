import { describe, expect, it } from 'vitest';
import { canonicalJson, toDeadLetterRow, type TDelivery } from './to-dead-letter-row';

const delivery = (over: Partial<TDelivery> = {}): TDelivery => ({
  sourceQueue: 'dlq',
  content: Buffer.from('{"a":1}'),
  fields: { exchange: 'dlx', routingKey: 'orders' },
  properties: { contentType: 'application/json', messageId: 'm1', headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: 1, 'routing-keys': ['o.c'] }] } },
  ...over,
});

describe('toDeadLetterRow', () => {
  it('fingerprints content, properties and headers, ignoring redelivery counters', () => {
    const a = toDeadLetterRow(delivery(), 100);
    const redelivered = toDeadLetterRow(delivery({
      properties: { contentType: 'application/json', messageId: 'm1', headers: { 'x-death': [{ 'routing-keys': ['o.c'], count: 1, reason: 'rejected', queue: 'orders' }], 'x-delivery-count': 3 } },
    }), 100);
    expect(Buffer.from(redelivered.fingerprint).equals(Buffer.from(a.fingerprint))).toBe(true);
    for (const other of [
      delivery({ content: Buffer.from('{"a":2}') }),
      delivery({ properties: { contentType: 'application/json', messageId: 'm2' } }),
      delivery({ properties: { contentType: 'application/json', messageId: 'm1', headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: 2 }] } } }),
    ]) {
      expect(Buffer.from(toDeadLetterRow(other, 100).fingerprint).equals(Buffer.from(a.fingerprint))).toBe(false);
    }
  });

  it('derives the searchable and list columns', () => {
    const row = toDeadLetterRow(delivery({ properties: { messageId: 'm1', correlationId: 'c1', headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: 1, 'routing-keys': ['o.c'] }] } } }), 3);
    expect(row).toMatchObject({
      originQueue: 'orders', reason: 'rejected', routingKeys: ['o.c'], messageId: 'm1', correlationId: 'c1',
      size: 7, isLarge: true, searchText: 'm1 c1 o.c {"a":1}', parseJson: true, deliveryExchange: 'dlx', deliveryRoutingKey: 'orders',
    });
  });

  it('makes header values and text bodies searchable', () => {
    const row = toDeadLetterRow(delivery({
      content: Buffer.from('payment gateway timeout'),
      properties: {
        messageId: 'm1',
        headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: 1 }], tenant: 'acme', attempt: 3, flag: true, raw: Buffer.from('bytes'), nul: 'a\u0000b' },
      },
    }), 100);
    expect(row.searchText).toBe('m1 tenant acme attempt 3 nul ab payment gateway timeout');
    expect(row.parseJson).toBe(false);
  });

  it('leaves out compressed and non-UTF-8 bodies, and caps the body text', () => {
    const gz = toDeadLetterRow(delivery({ properties: { contentEncoding: 'gzip' } }), 100);
    expect(gz).toMatchObject({ searchText: 'orders', parseJson: false });
    expect(toDeadLetterRow(delivery({ content: Buffer.from([0xff, 0xfe, 0x00]), properties: {} }), 100).searchText).toBe('orders');
    // 'é' is two bytes: the cut at 64 KiB never splits it.
    const long = toDeadLetterRow(delivery({ content: Buffer.from('é'.repeat(40_000)), properties: {} }), 100);
    expect(long.searchText).toBe(`orders ${'é'.repeat(32_768)}`);
    const huge = toDeadLetterRow(delivery({ properties: { headers: { a: 'x'.repeat(150_000), b: 'y'.repeat(150_000) } } }), 100);
    expect(huge.searchText).toHaveLength(200_000);
  });

  it('marks JSON bodies for their parsed form: JSON content type, or an object or array at the start', () => {
    const parse = (content: string, properties: TDelivery['properties'] = {}) => toDeadLetterRow(delivery({ content: Buffer.from(content), properties }), 100).parseJson;
    expect(parse(' \n[1,2]')).toBe(true);
    expect(parse('{"a":1}', { contentEncoding: 'identity' })).toBe(true);
    expect(parse('42', { contentType: 'application/vnd.x+json' })).toBe(true);
    expect(parse('42')).toBe(false);
    expect(parse('{"a":1}', { contentEncoding: 'gzip' })).toBe(false);
    expect(parse(`[${'1,'.repeat(600_000)}1]`)).toBe(false); // over 1 MiB
  });

  it('falls back to the delivery routing key when nothing dead-lettered it', () => {
    expect(toDeadLetterRow(delivery({ properties: {} }), 100)).toMatchObject({ originQueue: null, reason: 'unknown', routingKeys: ['orders'], deathCount: 0 });
  });

  it('keeps NUL characters out of text columns', () => {
    const row = toDeadLetterRow(delivery({ properties: { messageId: 'a\u0000b' } }), 100);
    expect(row.messageId).toBe('ab');
    expect(row.properties).toEqual({ messageId: { type: 'string', base64: Buffer.from('a\u0000b').toString('base64') } });
  });

  it('serialises canonically', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
