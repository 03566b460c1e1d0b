import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';

// Uniquely named queues and exchanges on the local broker, deleted afterwards.

export const TEST_RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export async function createTestBroker(label = 't') {
  const prefix = `test.${label}.${randomBytes(4).toString('hex')}`;
  const connection: ChannelModel = await amqp.connect(TEST_RABBITMQ_URL);
  const channel: Channel = await connection.createChannel();
  const queues = new Set<string>();
  const exchanges = new Set<string>();
  return {
    prefix,
    connection,
    channel,
    name: (suffix: string) => `${prefix}.${suffix}`,
    async queue(suffix: string, options?: amqp.Options.AssertQueue) {
      const q = `${prefix}.${suffix}`;
      await channel.assertQueue(q, { durable: true, ...options });
      queues.add(q);
      return q;
    },
    async exchange(suffix: string, type: string) {
      const x = `${prefix}.${suffix}`;
      await channel.assertExchange(x, type, { durable: true });
      exchanges.add(x);
      return x;
    },
    async messageCount(queue: string) {
      return (await channel.checkQueue(queue)).messageCount;
    },
    async cleanup() {
      const ch = await connection.createChannel();
      for (const q of queues) await ch.deleteQueue(q).catch(() => {});
      for (const x of exchanges) await ch.deleteExchange(x).catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}
export type TTestBroker = Awaited<ReturnType<typeof createTestBroker>>;

export async function waitFor<T>(check: () => Promise<T | undefined | false>, { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
