import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy } from '../testing/tcp-proxy';
import { createTestBroker, TEST_RABBITMQ_URL, type TTestBroker } from '../testing/test-broker';
import { HEADER } from './console-headers';
import { openConfirmPublisher } from './publish-with-confirms';

// Pipelined windows on a real broker: every publish confirmed when the broker answers in
// time; when a window ends without its answers, the publisher publishes one at a time from
// then on, so an unanswered window (whose publishes are retried and may arrive twice) is
// paid for once, not once a window.

let broker: TTestBroker;
let connection: ChannelModel;

beforeAll(async () => {
  broker = await createTestBroker('pipeline');
  connection = await amqp.connect(TEST_RABBITMQ_URL);
});
afterAll(async () => {
  await connection?.close().catch(() => {});
  await broker?.cleanup();
});

const items = (queue: string, n: number) => Array.from({ length: n }, (_, i) => {
  const dispatchId = randomUUID();
  return {
    publish: { dispatchId, exchange: '', routingKey: queue, options: { mandatory: true, persistent: true, headers: { [HEADER.replayId]: dispatchId } } },
    content: Buffer.from(JSON.stringify({ i })),
  };
});

describe('pipelined publishes', () => {
  it('confirms a whole window and keeps pipelining', async () => {
    const queue = await broker.queue('window');
    const publisher = await openConfirmPublisher(connection);
    const outcomes = await publisher.publishMany(items(queue, 50), 5000);
    expect(outcomes.every((o) => o.state === 'published')).toBe(true);
    expect(publisher.pipelines).toBe(true);
    expect((await broker.channel.checkQueue(queue)).messageCount).toBe(50);
    await publisher.close();
  });

  it('stops pipelining after a window ends without its confirms, and still publishes one at a time', async () => {
    const queue = await broker.queue('unanswered');
    // Through a proxy that can hold the broker's answers back: no confirm can come in time.
    // (A 0 ms window alone was not enough: a local broker's confirms sometimes beat the timer.)
    const target = new URL(TEST_RABBITMQ_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5672) });
    const held = await amqp.connect(proxy.url(TEST_RABBITMQ_URL));
    try {
      const publisher = await openConfirmPublisher(held);
      // Its channel open and the exchange known, so the next window needs no answer to start.
      expect(await publisher.publishMany(items(queue, 1), 5000)).toEqual([{ state: 'published' }]);
      proxy.hold();
      const outcomes = await publisher.publishMany(items(queue, 20), 50).finally(() => proxy.release());
      expect(outcomes.every((o) => o.state === 'retry')).toBe(true);
      expect(publisher.pipelines).toBe(false);
      expect(await publisher.publish(items(queue, 1)[0]!, 5000)).toEqual({ state: 'published' });
      expect(publisher.usable).toBe(true);
      await publisher.close();
    } finally {
      await held.close().catch(() => {});
      await proxy.close();
    }
  });

  it('reports an unroutable publish in a window as returned, and only that one', async () => {
    const queue = await broker.queue('returned');
    const publisher = await openConfirmPublisher(connection);
    const window = [...items(queue, 3), ...items(broker.name('no-such-queue'), 1), ...items(queue, 2)];
    const outcomes = await publisher.publishMany(window, 5000);
    expect(outcomes.map((o) => o.state)).toEqual(['published', 'published', 'published', 'failed', 'published', 'published']);
    expect(outcomes[3]).toMatchObject({ result: expect.stringContaining('returned by the broker') });
    expect(publisher.pipelines).toBe(true);
    await publisher.close();
  });
});
