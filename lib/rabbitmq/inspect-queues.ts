import amqp from 'amqplib';

export type TQueueState =
  | { state: 'ok'; messages: number; consumers: number }
  | { state: 'missing' }
  | { state: 'unknown'; error: string };

const TIMEOUT_MS = 3000;

/**
 * What the broker says about each queue right now: messages waiting and consumers
 * attached. The worker's own bookkeeping cannot tell "consuming" from "no worker is
 * running"; the broker can. Never throws: a broker that does not answer is "unknown".
 */
export async function inspectQueues(rabbitUrl: string, queues: string[]): Promise<Map<string, TQueueState>> {
  const result = new Map<string, TQueueState>();
  if (queues.length === 0) return result;
  let connection: amqp.ChannelModel | undefined;
  const deadline = setTimeout(() => void connection?.close().catch(() => {}), TIMEOUT_MS);
  try {
    connection = await amqp.connect(rabbitUrl, { timeout: TIMEOUT_MS });
    connection.on('error', () => {});
    let channel = await connection.createChannel();
    channel.on('error', () => {});
    for (const queue of queues) {
      try {
        const { messageCount, consumerCount } = await channel.checkQueue(queue);
        result.set(queue, { state: 'ok', messages: messageCount, consumers: consumerCount });
      } catch {
        // A missing queue closes the channel (404): note it and carry on with a new one.
        result.set(queue, { state: 'missing' });
        channel = await connection.createChannel();
        channel.on('error', () => {});
      }
    }
  } catch (error) {
    for (const queue of queues) if (!result.has(queue)) result.set(queue, { state: 'unknown', error: (error as Error).message });
  } finally {
    clearTimeout(deadline);
    await connection?.close().catch(() => {});
  }
  return result;
}
