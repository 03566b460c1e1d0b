import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestBroker, TEST_RABBITMQ_URL, type TTestBroker } from '../testing/test-broker';
import { inspectQueues } from './inspect-queues';

let broker: TTestBroker;
beforeAll(async () => { broker = await createTestBroker('inspect'); });
afterAll(async () => broker?.cleanup());

it('reports backlog and consumers, a missing queue, and carries on after it', async () => {
  const busy = await broker.queue('busy');
  const idle = await broker.queue('idle');
  broker.channel.sendToQueue(idle, Buffer.from('a'));
  broker.channel.sendToQueue(idle, Buffer.from('b'));
  const consumer = await broker.connection.createChannel();
  await consumer.consume(busy, () => {});
  await broker.messageCount(idle); // a round trip: both publishes have reached the queue
  const states = await inspectQueues(TEST_RABBITMQ_URL, [busy, broker.name('missing'), idle]);
  expect(Object.fromEntries(states)).toEqual({
    [busy]: { state: 'ok', messages: 0, consumers: 1 },
    [broker.name('missing')]: { state: 'missing' },
    [idle]: { state: 'ok', messages: 2, consumers: 0 },
  });
  await consumer.close();
});

it('says unknown, with the reason, when the broker cannot be reached', async () => {
  const states = await inspectQueues('amqp://guest:guest@127.0.0.1:1', ['q']);
  expect(states.get('q')).toMatchObject({ state: 'unknown', error: expect.stringMatching(/ECONNREFUSED/) });
});
