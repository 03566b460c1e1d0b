import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { runWorker, type TWorker } from '../worker/run-worker';
import { addSources } from '../sources/add-sources';

// The broker itself dead-letters messages for each reason; the worker must store them
// with the right origin, reason, count and typed headers, and drain the DLQ.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let worker: TWorker;
let dlq: string;
let dlx: string;

beforeAll(async () => {
  db = await createTestDatabase('ingest');
  broker = await createTestBroker('ingest');
  dlx = await broker.exchange('dlx', 'fanout');
  dlq = await broker.queue('dlq');
  await broker.channel.bindQueue(dlq, dlx, '');
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
  worker = runWorker({ rabbitUrl: TEST_RABBITMQ_URL, refreshMs: 200, prefetch: 100, batchSize: 50, batchWaitMs: 20, largeBodyBytes: 1024 });
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await broker?.cleanup();
  await db?.drop();
});

async function storedFor(origin: string, n = 1) {
  return waitFor(async () => {
    const rows = await prisma().message.findMany({ where: { originQueue: origin }, omit: { body: false }, orderBy: { id: 'asc' } });
    return rows.length >= n ? rows : undefined;
  }, { what: `${n} stored message(s) from ${origin}` });
}

describe('ingest of broker dead-lettered messages', () => {
  it('stores a rejected message with typed headers and the x-death history', async () => {
    const work = await broker.queue('orders', { deadLetterExchange: dlx });
    const topic = await broker.exchange('events', 'topic');
    await broker.channel.bindQueue(work, topic, 'order.*');
    broker.channel.publish(topic, 'order.created', Buffer.from('{"id":42}'), {
      contentType: 'application/json',
      messageId: 'm-1',
      correlationId: 'c-1',
      timestamp: 1_700_000_000,
      headers: {
        str: 'text', int: 7, float: 1.5, bool: true, nothing: null,
        bytes: Buffer.from([0, 255, 1]),
        when: { '!': 'timestamp', value: 1_700_000_001 },
        dec: { '!': 'decimal', value: { places: 2, digits: 12345 } },
        nested: { inner: ['a', 2, { deep: false }] },
        hostile: '<script>alert(1)</script>',
      },
    });
    const got = await waitFor(async () => (await broker.channel.get(work, { noAck: false })) || undefined, { what: 'delivery from the work queue' });
    broker.channel.nack(got, false, false);

    const [row] = await storedFor(work);
    expect(row).toMatchObject({
      sourceQueue: dlq, originQueue: work, reason: 'rejected', exchange: topic,
      routingKeys: ['order.created'], deathCount: 1, messageId: 'm-1', correlationId: 'c-1',
      contentType: 'application/json', size: 9, isLarge: false, status: 'new',
    });
    expect(Buffer.from(row!.body).toString()).toBe('{"id":42}');
    expect(row!.headers).toMatchObject({
      str: { type: 'string', value: 'text' },
      int: { type: 'number', value: 7 },
      float: { type: 'number', value: 1.5 },
      bool: { type: 'boolean', value: true },
      nothing: { type: 'void' },
      bytes: { type: 'bytes', base64: Buffer.from([0, 255, 1]).toString('base64') },
      when: { type: 'timestamp', value: 1_700_000_001 },
      dec: { type: 'decimal', value: { places: 2, digits: 12345 } },
      nested: { type: 'table', value: { inner: { type: 'array', value: [
        { type: 'string', value: 'a' }, { type: 'number', value: 2 },
        { type: 'table', value: { deep: { type: 'boolean', value: false } } },
      ] } } },
      hostile: { type: 'string', value: '<script>alert(1)</script>' },
      'x-first-death-queue': { type: 'string', value: work },
      'x-first-death-reason': { type: 'string', value: 'rejected' },
    });
    expect(row!.xDeath).toEqual([expect.objectContaining({ queue: work, reason: 'rejected', count: 1, exchange: topic, routingKeys: ['order.created'] })]);
    expect(row!.firstDeath).toEqual({ queue: work, reason: 'rejected', exchange: topic });
    expect(row!.properties).toMatchObject({ timestamp: { type: 'timestamp', value: 1_700_000_000 } });
    expect(row!.firstDeathAt).toBeInstanceOf(Date);
  });

  it('stores per-message TTL expiry with the original expiration', async () => {
    const work = await broker.queue('ttl-msg', { deadLetterExchange: dlx });
    broker.channel.sendToQueue(work, Buffer.from('late'), { expiration: '1', contentType: 'text/plain' });
    const [row] = await storedFor(work);
    expect(row).toMatchObject({ reason: 'expired', originQueue: work, exchange: '', routingKeys: [work] });
    expect((row!.xDeath as { originalExpiration: string }[])[0]!.originalExpiration).toBe('1');
  });

  it('stores queue TTL expiry', async () => {
    const work = await broker.queue('ttl-queue', { deadLetterExchange: dlx, messageTtl: 1 });
    broker.channel.sendToQueue(work, Buffer.from('late too'));
    const [row] = await storedFor(work);
    expect(row).toMatchObject({ reason: 'expired', originQueue: work });
  });

  it('stores maxlen overflow', async () => {
    const work = await broker.queue('maxlen', { deadLetterExchange: dlx, maxLength: 1 });
    broker.channel.sendToQueue(work, Buffer.from('first'));
    broker.channel.sendToQueue(work, Buffer.from('second'));
    const [row] = await storedFor(work);
    expect(row).toMatchObject({ reason: 'maxlen', originQueue: work });
    expect(Buffer.from(row!.body).toString()).toBe('first');
  });

  it('stores delivery_limit from a quorum queue', async () => {
    const work = await broker.queue('quorum', { deadLetterExchange: dlx, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 1 } });
    broker.channel.sendToQueue(work, Buffer.from('poison'), { persistent: true });
    for (let i = 0; i < 2; i++) {
      const got = await waitFor(async () => (await broker.channel.get(work, { noAck: false })) || undefined, { what: 'quorum delivery' });
      broker.channel.nack(got, false, true);
    }
    const [row] = await storedFor(work);
    expect(row).toMatchObject({ reason: 'delivery_limit', originQueue: work });
  });

  it('counts repeated deaths and keeps binary bodies byte-identical', async () => {
    const work = await broker.queue('repeat', { deadLetterExchange: '', deadLetterRoutingKey: broker.name('repeat-dlq') });
    const bounce = await broker.queue('repeat-dlq', { deadLetterExchange: dlx });
    await broker.channel.assertQueue(bounce, { durable: true, deadLetterExchange: dlx });
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81, 0x0a]);
    broker.channel.sendToQueue(work, bytes, { contentType: 'application/octet-stream' });
    const first = await waitFor(async () => (await broker.channel.get(work, { noAck: false })) || undefined);
    broker.channel.nack(first, false, false);
    const second = await waitFor(async () => (await broker.channel.get(bounce, { noAck: false })) || undefined);
    broker.channel.nack(second, false, false);
    const [row] = await storedFor(bounce);
    expect(Buffer.from(row!.body).equals(bytes)).toBe(true);
    expect(row!.deathCount).toBe(2);
    expect((row!.xDeath as { queue: string }[]).map((e) => e.queue)).toEqual([bounce, work]);
  });

  it('flags bodies over the large-body limit and still stores them whole', async () => {
    const work = await broker.queue('large', { deadLetterExchange: dlx, messageTtl: 1 });
    const big = Buffer.alloc(4096, 'x');
    broker.channel.sendToQueue(work, big);
    const [row] = await storedFor(work);
    expect(row).toMatchObject({ isLarge: true, size: 4096 });
    expect(Buffer.from(row!.body).equals(big)).toBe(true);
  });

  it('stores NUL characters in header keys, header values, ids and bodies without stalling', async () => {
    const work = await broker.queue('nul', { deadLetterExchange: dlx, messageTtl: 1 });
    const body = Buffer.from('a\u0000b');
    broker.channel.sendToQueue(work, body, { messageId: 'id\u0000x', headers: { 'k\u0000': 'v\u0000', nested: { 'deep\u0000': ['x\u0000'] } } });
    const [row] = await storedFor(work);
    expect(row).toMatchObject({ messageId: 'idx' });
    expect(Buffer.from(row!.body).equals(body)).toBe(true);
    expect(row!.headers).toMatchObject({
      'k\\u0000': { type: 'string', base64: Buffer.from('v\u0000').toString('base64') },
      nested: { type: 'table', value: { 'deep\\u0000': { type: 'array', value: [{ type: 'string', base64: Buffer.from('x\u0000').toString('base64') }] } } },
    });
  });

  it('reports a source missing on the broker and keeps consuming the others', async () => {
    const missing = broker.name('never-declared');
    await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [missing] });
    const source = await waitFor(async () => {
      const s = await prisma().source.findUnique({ where: { queue: missing } });
      return s?.lastError ? s : undefined;
    }, { what: 'the missing source to be reported' });
    expect(source.lastError).toMatch(/is not on the broker/);
    expect(source.lastError).toContain(missing);

    const work = await broker.queue('still-flowing', { deadLetterExchange: dlx, messageTtl: 1 });
    broker.channel.sendToQueue(work, Buffer.from('still stored'));
    await storedFor(work);

    // Declared later, it is picked up at the next refresh and the error clears.
    await broker.queue('never-declared');
    await waitFor(async () => (await prisma().source.findUnique({ where: { queue: missing } }))?.lastError === null, { what: 'the error to clear' });
  });

  it('drains the dead-letter queue: everything stored is acked', async () => {
    await waitFor(async () => (await broker.messageCount(dlq)) === 0, { what: 'empty DLQ' });
  });
});
