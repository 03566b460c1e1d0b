import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import amqp, { type ChannelModel, type GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_RABBITMQ_URL, waitFor } from '../lib/testing/test-broker';
import { produceDeadLetters } from './demo/dead-letters';
import { declareDemoTopology, deleteDemoTopology, demoTopology, type TDemoTopology } from './demo/topology';

// The demo's topology under a unique prefix: the broker itself must dead-letter each
// message for the intended reason into the DLQ of the service that failed it.

let connection: ChannelModel;
let topology: TDemoTopology;

beforeAll(async () => {
  connection = await amqp.connect(TEST_RABBITMQ_URL);
  topology = demoTopology(`test.demo.${randomBytes(4).toString('hex')}`);
});

afterAll(async () => {
  if (!connection) return;
  await deleteDemoTopology(connection, topology).catch(() => {});
  await connection.close();
});

type TDeath = { queue: string; reason: string; exchange: string; 'routing-keys': string[]; 'original-expiration'?: string };
const death = (m: GetMessage) => (m.properties.headers?.['x-death'] as TDeath[])[0]!;

async function drain(queue: string, expected: number): Promise<GetMessage[]> {
  const channel = await connection.createChannel();
  try {
    await waitFor(async () => (await channel.checkQueue(queue)).messageCount === expected, { what: `${expected} messages in ${queue}` });
    const messages: GetMessage[] = [];
    for (let m = await channel.get(queue, { noAck: true }); m; m = await channel.get(queue, { noAck: true })) messages.push(m);
    return messages;
  } finally {
    await channel.close();
  }
}

function tally(messages: GetMessage[]) {
  const counts: Record<string, number> = {};
  for (const m of messages) {
    const key = `${death(m).queue} ${death(m).reason}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('demo topology and dead-lettering', () => {
  it('declares the topology, and declaring it again is a no-op', async () => {
    await declareDemoTopology(connection, topology);
    await declareDemoTopology(connection, topology);
    const channel = await connection.createChannel();
    for (const queue of [...Object.values(topology.work).map((q) => q.name), ...Object.values(topology.dlqs), ...Object.values(topology.teamInboxes)]) {
      expect((await channel.checkQueue(queue)).messageCount, queue).toBe(0);
    }
    await channel.close();
  });

  it('makes the broker dead-letter for all four reasons, each into its own service DLQ', async () => {
    const { work, dlqs, events } = topology;
    const result = await produceDeadLetters({ connection, topology });
    expect(result.published).toBe(41);
    expect(result.deadLettered).toEqual(expect.arrayContaining([
      { dlq: dlqs.orders, reason: 'rejected', count: 7 },
      { dlq: dlqs.orders, reason: 'expired', count: 5 },
      { dlq: dlqs.billing, reason: 'rejected', count: 2 },
      { dlq: dlqs.billing, reason: 'delivery_limit', count: 8 },
      { dlq: dlqs.shipping, reason: 'expired', count: 6 },
      { dlq: dlqs.shipping, reason: 'maxlen', count: 8 },
    ]));

    const orders = await drain(dlqs.orders, 12);
    const billing = await drain(dlqs.billing, 10);
    const shipping = await drain(dlqs.shipping, 14);
    expect(tally(orders)).toEqual({ [`${work.orders.name} rejected`]: 7, [`${work.orders.name} expired`]: 5 });
    expect(tally(billing)).toEqual({ [`${work.invoices.name} rejected`]: 2, [`${work.invoices.name} delivery_limit`]: 8 });
    expect(tally(shipping)).toEqual({ [`${work.labels.name} expired`]: 6, [`${work.tracking.name} maxlen`]: 8 });

    // Published through the topic exchange; x-death keeps the original routing, the DLX
    // routed by the per-service key.
    for (const m of [...orders, ...billing, ...shipping]) {
      expect(death(m).exchange).toBe(events);
      expect(m.fields.exchange).toBe(topology.dlx);
    }
    expect(orders.every((m) => m.fields.routingKey === 'orders')).toBe(true);
    expect(death(orders[0]!)['routing-keys']).toEqual(['order.created']);
    expect(orders.filter((m) => death(m).reason === 'expired').every((m) => death(m)['original-expiration'] === '1000')).toBe(true);

    // The bodies a console must show faithfully.
    const protobuf = billing.find((m) => m.properties.contentType === 'application/x-protobuf')!;
    expect(protobuf.content.equals(Buffer.from(protobuf.content.toString('utf8')))).toBe(false); // not valid UTF-8
    const gzip = billing.find((m) => m.properties.contentEncoding === 'gzip')!;
    expect(JSON.parse(gunzipSync(gzip.content).toString())).toMatchObject({ batchId: expect.any(String) });
    expect(billing.filter((m) => m.properties.contentType?.startsWith('text/plain'))).toHaveLength(2);
    const hostile = orders.find((m) => m.properties.headers?.['x-customer-name'] === '<script>alert(1)</script>')!;
    expect(hostile.properties.headers?.['x-customer-note']).toBe('"><img src=x onerror=alert(1)>');
    expect(hostile.content.toString()).toContain('<script>alert(1)</script>');
    expect(hostile.content.toString()).toContain('\\"><img src=x onerror=alert(1)>');
    const json = orders.find((m) => m !== hostile)!;
    expect(json.properties).toMatchObject({ contentType: 'application/json', appId: 'storefront', messageId: expect.any(String), correlationId: expect.stringMatching(/^corr-ord_/) });
    expect(json.properties.headers).toMatchObject({ 'x-tenant': expect.any(String), 'x-retry': expect.any(Number), 'x-trace': { sampled: true } });

    // Nothing is left behind except the newest tracking updates the length limit keeps.
    const channel = await connection.createChannel();
    expect((await channel.checkQueue(work.orders.name)).messageCount).toBe(0);
    expect((await channel.checkQueue(work.invoices.name)).messageCount).toBe(0);
    expect((await channel.checkQueue(work.labels.name)).messageCount).toBe(0);
    expect((await channel.checkQueue(work.tracking.name)).messageCount).toBe(5);
    await channel.close();
  });

  it('teardown deletes every queue and exchange it declared', async () => {
    await deleteDemoTopology(connection, topology);
    const names = [...Object.values(topology.work).map((q) => q.name), ...Object.values(topology.dlqs), ...Object.values(topology.teamInboxes)];
    for (const queue of names) {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      await expect(channel.checkQueue(queue), queue).rejects.toThrow(/404/);
    }
    for (const exchange of [topology.events, topology.dlx]) {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      await expect(channel.checkExchange(exchange), exchange).rejects.toThrow(/404/);
    }
  });
});
