import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { HEADER } from './console-headers';
import type { TPublish } from './build-publish';

// Publishes on a confirm channel with `mandatory` and says, per dispatch, what the broker
// said: confirmed; returned (unroutable) or nacked, which are failures an operator sees; or
// nothing we can trust (channel closed, no confirm in time), which is retried.

export type TPublishOutcome =
  | { state: 'published' }
  | { state: 'failed'; result: string }
  | { state: 'retry'; error: string };

export type TConfirmPublisher = {
  channel: ConfirmChannel;
  publish(items: { publish: TPublish; content: Buffer }[], timeoutMs: number): Promise<Map<string, TPublishOutcome>>;
  close(): Promise<void>;
};

/** A publish to a missing exchange closes the channel with every outstanding publish on it, so exchanges are checked first, on a channel of their own. */
async function missingExchanges(connection: ChannelModel, names: string[]): Promise<Set<string>> {
  const missing = new Set<string>();
  for (const name of names) {
    if (name === '') continue;
    const ch = await connection.createChannel();
    ch.on('error', () => {});
    try {
      await ch.checkExchange(name);
      await ch.close();
    } catch {
      missing.add(name);
    }
  }
  return missing;
}

export async function openConfirmPublisher(connection: ChannelModel): Promise<TConfirmPublisher> {
  const channel = await connection.createConfirmChannel();
  const returned = new Map<string, string>();
  let closed = false;
  channel.on('error', () => {}); // the close event settles what was outstanding
  channel.on('close', () => { closed = true; });
  channel.on('return', (message: ConsumeMessage) => {
    const id = message.properties.headers?.[HEADER.replayId];
    const fields = message.fields as unknown as { replyCode: number; replyText: string };
    if (typeof id === 'string') returned.set(id, `returned by the broker: ${fields.replyCode} ${fields.replyText} (nothing is bound to route it)`);
  });

  async function publish(items: { publish: TPublish; content: Buffer }[], timeoutMs: number) {
    const outcomes = new Map<string, TPublishOutcome>();
    const missing = await missingExchanges(connection, [...new Set(items.map((i) => i.publish.exchange))]);
    const waits: Promise<void>[] = [];
    for (const { publish: p, content } of items) {
      if (missing.has(p.exchange)) {
        outcomes.set(p.dispatchId, { state: 'failed', result: `exchange "${p.exchange}" does not exist on the broker` });
        continue;
      }
      if (closed) {
        outcomes.set(p.dispatchId, { state: 'retry', error: 'channel closed before the publish' });
        continue;
      }
      let full = false;
      waits.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            outcomes.set(p.dispatchId, { state: 'retry', error: `no confirm from the broker within ${timeoutMs} ms` });
            resolve();
          }, timeoutMs);
          try {
            const ok = channel.publish(p.exchange, p.routingKey, content, p.options, (error) => {
              clearTimeout(timer);
              if (outcomes.has(p.dispatchId)) return resolve();
              const returnedReason = returned.get(p.dispatchId);
              returned.delete(p.dispatchId);
              if (!error) outcomes.set(p.dispatchId, returnedReason ? { state: 'failed', result: returnedReason } : { state: 'published' });
              else if (error.message === 'message nacked') outcomes.set(p.dispatchId, { state: 'failed', result: 'nacked by the broker (it did not take responsibility for the message)' });
              else outcomes.set(p.dispatchId, { state: 'retry', error: error.message });
              resolve();
            });
            full = !ok;
          } catch (error) {
            clearTimeout(timer);
            outcomes.set(p.dispatchId, { state: 'retry', error: (error as Error).message });
            resolve();
          }
        }),
      );
      // The socket's buffer is full: wait until it drains rather than hold every body in memory.
      if (full && !closed) await new Promise<void>((r) => { channel.once('drain', r); channel.once('close', r); });
    }
    await Promise.all(waits);
    return outcomes;
  }

  return {
    channel,
    publish,
    async close() {
      if (!closed) await channel.close().catch(() => {});
    },
  };
}
