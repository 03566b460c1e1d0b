import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { createTestBroker, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { storeDeadLetters } from './store-dead-letters';
import { toDeadLetterRow } from './to-dead-letter-row';

// The crash window made deterministic: a delivery is committed, the ack never happens,
// the broker redelivers. The second commit must store nothing new.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;

beforeAll(async () => {
  db = await createTestDatabase('redelivery');
  broker = await createTestBroker('redelivery');
});
afterAll(async () => {
  await broker?.cleanup();
  await db?.drop();
});

async function commitWithoutAck(queue: string) {
  const delivery = await waitFor(async () => (await broker.channel.get(queue, { noAck: false })) || undefined, { what: `a delivery from ${queue}` });
  const inserted = await storeDeadLetters([toDeadLetterRow({ sourceQueue: queue, ...delivery }, 1 << 20)]);
  return { delivery, inserted };
}

describe.each([
  ['classic', {}],
  ['quorum', { 'x-queue-type': 'quorum' }],
])('a redelivery from a %s queue after commit-before-ack', (_kind, args) => {
  it('is not stored twice', async () => {
    const queue = await broker.queue(`dlq-${_kind}`, { arguments: args });
    broker.channel.sendToQueue(queue, Buffer.from('same bytes'), { headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: 1 }] } });

    const first = await commitWithoutAck(queue);
    expect(first.inserted).toBe(1);
    broker.channel.nack(first.delivery, false, true); // what a crash before the ack amounts to

    const second = await commitWithoutAck(queue);
    expect(second.delivery.fields.redelivered).toBe(true);
    if (_kind === 'quorum') expect(second.delivery.properties.headers?.['x-delivery-count']).toBe(1);
    expect(second.inserted).toBe(0);
    broker.channel.ack(second.delivery);

    expect(await prisma().message.count({ where: { sourceQueue: queue } })).toBe(1);
  });
});

it('keeps headers in the order they arrived (which jsonb would sort)', async () => {
  const queue = await broker.queue('dlq-order');
  broker.channel.sendToQueue(queue, Buffer.from('x'), { headers: { zeta: 1, 'a-much-longer-name': { z: 1, a: 2 }, b: 3, 'x-custom': 'v' } });
  const { delivery } = await commitWithoutAck(queue);
  broker.channel.ack(delivery);
  const row = await prisma().message.findFirstOrThrow({ where: { sourceQueue: queue } });
  const arrived = delivery.properties.headers as Record<string, Record<string, unknown>>;
  const stored = row.headers as Record<string, { value: Record<string, unknown> }>;
  expect(Object.keys(stored)).toEqual(Object.keys(arrived));
  expect(Object.keys(stored['a-much-longer-name']!.value)).toEqual(Object.keys(arrived['a-much-longer-name']!));
  expect(Object.keys(arrived)).not.toEqual([...Object.keys(arrived)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)));
});

it('stores two different messages with identical bodies separately', async () => {
  const queue = await broker.queue('dlq-twins');
  broker.channel.sendToQueue(queue, Buffer.from('same body'), { messageId: 'a' });
  broker.channel.sendToQueue(queue, Buffer.from('same body'), { messageId: 'b' });
  const a = await commitWithoutAck(queue);
  const b = await commitWithoutAck(queue);
  expect(a.inserted + b.inserted).toBe(2);
  broker.channel.ack(b.delivery, true);
});
