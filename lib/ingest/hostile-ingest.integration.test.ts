import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { addSources } from '../sources/add-sources';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { runWorker, type TWorker } from '../worker/run-worker';
import { MAX_DEPTH } from './typed-headers';

// Messages that once crashed the worker or stalled a source for good. Each must be
// stored (whole, or with its unstorable headers set aside) and acked, and its neighbours
// in the same batch must be stored too.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let worker: TWorker;
let dlq: string;
const batches: number[] = [];

beforeAll(async () => {
  db = await createTestDatabase('hostile');
  broker = await createTestBroker('hostile');
  dlq = await broker.queue('dlq');
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
  worker = runWorker({ rabbitUrl: TEST_RABBITMQ_URL, refreshMs: 200, prefetch: 300, batchSize: 100, batchWaitMs: 100, largeBodyBytes: 1 << 20, onStored: ({ received }) => void batches.push(received) });
  await worker.ready;
});
afterAll(async () => {
  await worker?.stop();
  await broker?.cleanup();
  await db?.drop();
});

const stored = (prefix: string) => prisma().message.findMany({ where: { sourceQueue: dlq, messageId: { startsWith: prefix } }, orderBy: { id: 'asc' } });

async function expectAllStored(prefix: string, n: number, timeoutMs = 30_000) {
  await waitFor(async () => (await stored(prefix)).length >= n || undefined, { timeoutMs, what: `${n} ${prefix} messages stored` });
  await waitFor(async () => (await broker.messageCount(dlq)) === 0 || undefined, { what: 'the DLQ drained' });
  return stored(prefix);
}

function neighbours(prefix: string, n = 3) {
  for (let i = 0; i < n; i++) broker.channel.sendToQueue(dlq, Buffer.from(`ok ${i}`), { messageId: `${prefix}-ok-${i}` });
}

describe('hostile dead letters', () => {
  it('stores two identical first deliveries as two dead letters', async () => {
    const send = () => broker.channel.sendToQueue(dlq, Buffer.from('{"job":42}'), { messageId: 'twin-job-42', headers: { 'x-exception-message': 'timeout' } });
    send();
    await expectAllStored('twin', 1);
    send();
    expect(await expectAllStored('twin', 2)).toHaveLength(2);
  });

  it('cuts a header table nested 2,000 deep instead of crashing', async () => {
    let deep: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 2000; i++) deep = { d: deep };
    neighbours('deep');
    broker.channel.sendToQueue(dlq, Buffer.from('deep'), { messageId: 'deep-poison', headers: { nested: deep, plain: 'kept' } });
    neighbours('deep-after');
    const rows = await expectAllStored('deep', 7);
    const poison = rows.find((r) => r.messageId === 'deep-poison')!;
    expect((poison.headers as Record<string, unknown>).plain).toEqual({ type: 'string', value: 'kept' });
    let node = (poison.headers as Record<string, { type: string; value: Record<string, unknown> }>).nested!;
    let levels = 0;
    while (node.type === 'table') { node = node.value.d as typeof node; levels++; }
    expect(node).toEqual({ type: 'too-deep', depth: MAX_DEPTH });
    expect(levels).toBe(MAX_DEPTH);
  });

  it('keeps an x-death time PostgreSQL cannot hold out of the derived columns', async () => {
    neighbours('year');
    broker.channel.sendToQueue(dlq, Buffer.from('far future'), {
      messageId: 'year-poison',
      headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: 1, time: { '!': 'timestamp', value: 299_999_999_999 } }] },
    });
    const rows = await expectAllStored('year', 4);
    expect(rows.find((r) => r.messageId === 'year-poison')).toMatchObject({ originQueue: 'orders', reason: 'rejected', firstDeathAt: null, lastDeathAt: null });
  });

  it('truncates a forged origin name too long for the index', async () => {
    neighbours('long');
    const forged = 'q'.repeat(3000) + Math.random().toString(36).repeat(200);
    broker.channel.sendToQueue(dlq, Buffer.from('long origin'), { messageId: 'long-poison', headers: { 'x-first-death-queue': forged } });
    const rows = await expectAllStored('long', 4);
    const poison = rows.find((r) => r.messageId === 'long-poison')!;
    expect(poison.originQueue).toBe(forged.slice(0, 255));
    expect((poison.headers as Record<string, { value: string }>)['x-first-death-queue']!.value).toBe(forged);
  });

  it('splits a batch of large bodies so it can be sent at all', { timeout: 240_000 }, async () => {
    // 200 bodies of 3 MiB would be an 800 MB JSON string, past what V8 can build; batches
    // are cut at 32 MiB of bodies (11 of these), whatever the batch size says.
    const body = Buffer.alloc(3 * 1024 * 1024, 'z');
    batches.length = 0;
    for (let i = 0; i < 30; i++) broker.channel.sendToQueue(dlq, body, { messageId: `big-${i}` });
    // 90 MiB through base64, JSON and PostgreSQL: minutes on a loaded two-core machine.
    const rows = await expectAllStored('big', 30, 180_000);
    expect(rows.every((r) => r.size === body.length && r.isLarge)).toBe(true);
    expect(Math.max(...batches)).toBeLessThanOrEqual(11);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('isolates a message the database refuses and stores it with its headers set aside', async () => {
    // Stands in for any refusal nobody foresaw: this database will not take a header named "poison".
    await prisma().$executeRawUnsafe(`ALTER TABLE messages ADD CONSTRAINT test_no_poison CHECK (NOT (headers::jsonb ? 'poison'))`);
    try {
      neighbours('refused', 5);
      broker.channel.sendToQueue(dlq, Buffer.from('refused body'), { messageId: 'refused-poison', headers: { poison: true } });
      neighbours('refused-after', 5);
      const rows = await expectAllStored('refused', 11);
      const poison = rows.find((r) => r.messageId === 'refused-poison')!;
      const body = await prisma().message.findUniqueOrThrow({ where: { id: poison.id }, omit: { body: false } });
      expect(Buffer.from(body.body).toString()).toBe('refused body');
      expect(poison.headers).toEqual({ 'x-dlq-console-ingest-error': { type: 'string', value: expect.stringMatching(/^headers not stored: .*test_no_poison/) } });
      expect(rows.filter((r) => r.messageId!.startsWith('refused-ok') || r.messageId!.startsWith('refused-after'))).toHaveLength(10);
    } finally {
      await prisma().$executeRawUnsafe('ALTER TABLE messages DROP CONSTRAINT test_no_poison');
    }
  });
});
