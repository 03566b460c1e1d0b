import type { ChannelModel, ConfirmChannel } from 'amqplib';
import {
  expiringOrders, labelRequests, poisonInvoices, rejectedOrders, remittanceTexts, trackingUpdates, type TDemoMessage,
} from './messages';
import { DELIVERY_LIMIT, TRACKING_MAX_LENGTH, type TDemoTopology } from './topology';

// Publishes the demo messages and makes the broker dead-letter them, one reason at a
// time, the way it happens in production: a consumer rejects, a TTL runs out, a length
// limit overflows, a quorum queue gives up after its delivery limit.

export type TDeadLettered = { dlq: string; reason: 'rejected' | 'expired' | 'maxlen' | 'delivery_limit'; count: number };

const TIMEOUT_MS = 30_000;
const TRACKING_UPDATES = 13;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Publishes with confirms; an unroutable message is an error, not a silent drop. */
async function publishAll(channel: ConfirmChannel, exchange: string, messages: TDemoMessage[]) {
  const returned: string[] = [];
  const onReturn = (m: { fields: { routingKey: string } }) => returned.push(m.fields.routingKey);
  channel.on('return', onReturn);
  try {
    for (const m of messages) channel.publish(exchange, m.routingKey, m.body, { ...m.properties, mandatory: true });
    await channel.waitForConfirms();
  } finally {
    channel.off('return', onReturn);
  }
  if (returned.length) throw new Error(`no queue is bound for ${[...new Set(returned)].join(', ')} on ${exchange}`);
  return messages.length;
}

/** Takes `count` messages from the queue and rejects them without requeue, as a failing consumer would. */
async function reject(channel: ConfirmChannel, queue: string, count: number) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (let done = 0; done < count;) {
    const message = await channel.get(queue, { noAck: false });
    if (message) {
      channel.nack(message, false, false);
      done++;
    } else if (Date.now() > deadline) {
      throw new Error(`only ${done} of ${count} messages arrived in ${queue}`);
    } else {
      await sleep(50);
    }
  }
}

/** Takes and requeues every message until the quorum queue's delivery limit dead-letters them all. */
async function exhaustDeliveries(channel: ConfirmChannel, queue: string, count: number) {
  const maxDeliveries = count * (DELIVERY_LIMIT + 1) * 3;
  const deadline = Date.now() + TIMEOUT_MS;
  for (let deliveries = 0; ;) {
    const message = await channel.get(queue, { noAck: false });
    if (message) {
      channel.nack(message, false, true);
      if (++deliveries > maxDeliveries) throw new Error(`${queue} keeps redelivering: is x-delivery-limit in effect?`);
    } else if ((await channel.checkQueue(queue)).messageCount === 0) {
      return;
    } else if (Date.now() > deadline) {
      throw new Error(`timed out requeueing messages in ${queue}`);
    } else {
      await sleep(50);
    }
  }
}

async function waitUntilAtMost(channel: ConfirmChannel, queue: string, max: number) {
  const deadline = Date.now() + TIMEOUT_MS;
  while ((await channel.checkQueue(queue)).messageCount > max) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${queue} to dead-letter its messages`);
    await sleep(100);
  }
}

export async function produceDeadLetters({ connection, topology }: { connection: ChannelModel; topology: TDemoTopology }) {
  const { work, dlqs, events } = topology;
  const channel = await connection.createConfirmChannel();
  try {
    let published = 0;
    const publish = async (messages: TDemoMessage[]) => {
      published += await publishAll(channel, events, messages);
      return messages.length;
    };
    const deadLettered: TDeadLettered[] = [];
    const record = (dlq: string, reason: TDeadLettered['reason'], count: number) => deadLettered.push({ dlq, reason, count });

    const rejected = await publish(rejectedOrders());
    await reject(channel, work.orders.name, rejected);
    record(dlqs.orders, 'rejected', rejected);

    const unparseable = await publish(remittanceTexts());
    await reject(channel, work.invoices.name, unparseable);
    record(dlqs.billing, 'rejected', unparseable);

    const poison = await publish(poisonInvoices());
    await exhaustDeliveries(channel, work.invoices.name, poison);
    record(dlqs.billing, 'delivery_limit', poison);

    record(dlqs.orders, 'expired', await publish(expiringOrders()));
    record(dlqs.shipping, 'expired', await publish(labelRequests()));

    // A rerun also overflows the updates an earlier run left in the queue.
    const leftOver = (await channel.checkQueue(work.tracking.name)).messageCount;
    const updates = await publish(trackingUpdates(TRACKING_UPDATES));
    record(dlqs.shipping, 'maxlen', Math.max(0, leftOver + updates - TRACKING_MAX_LENGTH));

    await waitUntilAtMost(channel, work.orders.name, 0);
    await waitUntilAtMost(channel, work.labels.name, 0);
    await waitUntilAtMost(channel, work.tracking.name, TRACKING_MAX_LENGTH);
    return { published, deadLettered, leftOver };
  } finally {
    await channel.close().catch(() => {});
  }
}
