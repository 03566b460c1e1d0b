import type { ChannelModel } from 'amqplib';

// The demo shop: three services publish events to one topic exchange; each service's
// work queues dead-letter through one direct exchange, keyed by service, into that
// service's own DLQ. Every queue is set up so the broker itself dead-letters for one
// reason: a consumer's rejection, a TTL, a length limit, a quorum delivery limit.

export const SERVICES = ['orders', 'billing', 'shipping'] as const;
export type TService = (typeof SERVICES)[number];

export const DELIVERY_LIMIT = 2;
export const LABEL_TTL_MS = 1500;
export const TRACKING_MAX_LENGTH = 5;

export type TWorkQueue = { name: string; service: TService; bindingKey: string; arguments: Record<string, unknown> };

/** The names and settings, optionally under a prefix so tests never touch the real ones. */
export function demoTopology(prefix = '') {
  const n = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const dlx = n('shop.dlx');
  const deadLetterTo = (service: TService) => ({ 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': service });
  const work = {
    orders: { name: n('orders.created'), service: 'orders', bindingKey: 'order.created', arguments: deadLetterTo('orders') },
    invoices: {
      name: n('billing.invoices'), service: 'billing', bindingKey: 'invoice.*',
      arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': DELIVERY_LIMIT, ...deadLetterTo('billing') },
    },
    labels: {
      name: n('shipping.labels'), service: 'shipping', bindingKey: 'shipment.label.*',
      arguments: { 'x-message-ttl': LABEL_TTL_MS, ...deadLetterTo('shipping') },
    },
    tracking: {
      name: n('shipping.tracking'), service: 'shipping', bindingKey: 'shipment.tracking.*',
      arguments: { 'x-max-length': TRACKING_MAX_LENGTH, 'x-overflow': 'drop-head', ...deadLetterTo('shipping') },
    },
  } satisfies Record<string, TWorkQueue>;
  return {
    // Each team's inbox, where the console redirects a dead letter that team owns.
    teamInboxes: { billing: n('team.billing.inbox'), shipping: n('team.shipping.inbox'), support: n('team.support.inbox') },
    events: n('shop.events'),
    dlx,
    dlqs: { orders: n('orders.dlq'), billing: n('billing.dlq'), shipping: n('shipping.dlq') } satisfies Record<TService, string>,
    work,
  };
}
export type TDemoTopology = ReturnType<typeof demoTopology>;

/** Asserts every exchange, queue and binding. Safe to repeat: same names, same arguments. */
export async function declareDemoTopology(connection: ChannelModel, topology: TDemoTopology) {
  const channel = await connection.createChannel();
  try {
    await channel.assertExchange(topology.events, 'topic', { durable: true });
    await channel.assertExchange(topology.dlx, 'direct', { durable: true });
    for (const service of SERVICES) {
      await channel.assertQueue(topology.dlqs[service], { durable: true });
      await channel.bindQueue(topology.dlqs[service], topology.dlx, service);
    }
    for (const queue of Object.values(topology.work)) {
      await channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments });
      await channel.bindQueue(queue.name, topology.events, queue.bindingKey);
    }
    for (const inbox of Object.values(topology.teamInboxes)) await channel.assertQueue(inbox, { durable: true });
  } catch (error) {
    if (/PRECONDITION.FAILED/.test((error as Error).message)) {
      throw new Error(`${(error as Error).message}\nA queue or exchange of that name exists with other settings. ` +
        'Delete it (`npm run demo -- --teardown` deletes the demo\'s) and run again.');
    }
    throw error;
  } finally {
    await channel.close().catch(() => {}); // already closed after a broker error
  }
}

/** Deletes every queue and exchange the demo declares, messages included. */
export async function deleteDemoTopology(connection: ChannelModel, topology: TDemoTopology) {
  const channel = await connection.createChannel();
  try {
    for (const queue of [...Object.values(topology.work).map((q) => q.name), ...Object.values(topology.dlqs), ...Object.values(topology.teamInboxes)]) {
      await channel.deleteQueue(queue);
    }
    await channel.deleteExchange(topology.events);
    await channel.deleteExchange(topology.dlx);
  } finally {
    await channel.close().catch(() => {});
  }
}
