import { addSources } from '../../sources/add-sources';
import { waitFor, type TTestBroker } from '../test-broker';

// Dead letters as the broker makes them: a work queue with a TTL of 0 dead-letters each
// message as it arrives, through a fanout exchange, into the source queue the console
// consumes. Message ids are `<prefix>-<n>`, so a scenario can count what is missing.

export type TDeadLetters = { dlq: string; origin: string; ids: string[] };

export async function seedDeadLetters(broker: TTestBroker, { count, prefix = 'm', label = 'dlq', addSource = true }: { count: number; prefix?: string; label?: string; addSource?: boolean }): Promise<TDeadLetters> {
  const dlx = await broker.exchange(`${label}.dlx`, 'fanout');
  const dlq = await broker.queue(label);
  await broker.channel.bindQueue(dlq, dlx, '');
  const origin = await broker.queue(`${label}.work`, { deadLetterExchange: dlx, messageTtl: 0 });
  await sendMany(broker, origin, count, prefix);
  await waitFor(async () => (await broker.messageCount(dlq)) === count, { timeoutMs: 60_000, what: `${count} messages in ${dlq}` });
  if (addSource) await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
  return { dlq, origin, ids: Array.from({ length: count }, (_, i) => `${prefix}-${i}`) };
}

/** Publishes `count` small JSON messages to `queue`, pausing when the channel's buffer is full. */
export async function sendMany(broker: TTestBroker, queue: string, count: number, prefix: string) {
  for (let i = 0; i < count; i++) {
    const ok = broker.channel.sendToQueue(queue, Buffer.from(JSON.stringify({ n: i, pad: 'x'.repeat(100) })), {
      messageId: `${prefix}-${i}`, contentType: 'application/json', persistent: true,
    });
    if (!ok) await new Promise((r) => broker.channel.once('drain', r));
  }
}

/**
 * Replaces the origin (the TTL-0 work queue) with a plain queue of the same name, so a
 * replay to the origin stays there to be counted instead of dead-lettering again.
 */
export async function makeOriginPlain(broker: TTestBroker, origin: string) {
  await broker.channel.deleteQueue(origin);
  await broker.channel.assertQueue(origin, { durable: true });
}
