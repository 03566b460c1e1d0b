import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { HEADER } from './console-headers';
import type { TPublish } from './build-publish';

// Publishes on a confirm channel with `mandatory`, and says what the broker said:
// confirmed; returned (unroutable), nacked, or refused (the broker closed the channel over
// this publish: access refused, exchange gone, too large), which are failures an operator
// sees; or nothing we can trust (connection lost, no confirm in time), which is retried.
// `publish` has one publish in flight, because a refusal closes the whole channel: with
// several outstanding, the others would be left unconfirmed and published twice on retry
// (docs/decisions/0007). `publishMany` pipelines, for what the broker has no reason to
// refuse (the caller's choice: the default exchange, small bodies, first attempts), so a
// refusal there is a surprise whose cost is bounded by the window: the window's
// unconfirmed publishes are retried one at a time, which names the one refused, and may
// arrive twice (the broker may have taken them before the channel closed). After one window
// ends without all its answers (a refusal, no confirm in time, the channel gone), this
// publisher stops pipelining (`pipelines`), so that cost is paid once, not once a window.

export type TPublishOutcome =
  | { state: 'published' }
  | { state: 'failed'; result: string }
  | { state: 'retry'; error: string };

export type TConfirmPublisher = {
  publish(item: { publish: TPublish; content: Buffer }, timeoutMs: number): Promise<TPublishOutcome>;
  /** Every item on the channel at once, confirms awaited together; outcomes in the order given. */
  publishMany(items: { publish: TPublish; content: Buffer }[], timeoutMs: number): Promise<TPublishOutcome[]>;
  /** False once the connection is gone: nothing more can be published on it. */
  readonly usable: boolean;
  /** False once a pipelined window ended without every answer: publish one at a time from then on. */
  readonly pipelines: boolean;
  close(): Promise<void>;
};

type TServerError = Error & { code?: number; classId?: number; methodId?: number };

// basic.publish: a channel closed by the server naming it was closed because of a publish.
const BASIC_PUBLISH = { classId: 60, methodId: 40 };

export async function openConfirmPublisher(connection: ChannelModel): Promise<TConfirmPublisher> {
  let connectionClosed = false;
  let pipelines = true;
  connection.once('close', () => { connectionClosed = true; });
  let channel: ConfirmChannel | undefined;
  let channelClosed = true;
  let serverError: TServerError | undefined;
  const returned = new Map<string, string>();
  /** Exchanges known to exist, so each is checked once per publisher. */
  const knownExchanges = new Set<string>(['']);

  async function ensureChannel(): Promise<ConfirmChannel> {
    if (channel && !channelClosed) return channel;
    const ch = await connection.createConfirmChannel();
    channelClosed = false;
    serverError = undefined;
    // A late error from a channel already given up on must not be read as this one's.
    ch.on('error', (error: TServerError) => { if (channel === ch) serverError = error; });
    ch.on('close', () => { if (channel === ch) channelClosed = true; });
    ch.on('return', (message: ConsumeMessage) => {
      const id = message.properties.headers?.[HEADER.replayId];
      const fields = message.fields as unknown as { replyCode: number; replyText: string };
      if (typeof id === 'string') returned.set(id, `returned by the broker: ${fields.replyCode} ${fields.replyText} (nothing is bound to route it)`);
    });
    channel = ch;
    return ch;
  }

  /** A publish to a missing exchange would close the channel; checked first, on a channel of its own. */
  async function checkExchange(name: string): Promise<TPublishOutcome | null> {
    if (knownExchanges.has(name)) return null;
    let ch: Channel | undefined;
    try {
      ch = await connection.createChannel();
      ch.on('error', () => {});
      await ch.checkExchange(name);
      knownExchanges.add(name);
      return null;
    } catch (error) {
      if ((error as TServerError).code === 404) return { state: 'failed', result: `exchange "${name}" does not exist on the broker` };
      return { state: 'retry', error: `cannot check exchange "${name}": ${(error as Error).message}` };
    } finally {
      await ch?.close().catch(() => {});
    }
  }

  async function publish({ publish: p, content }: { publish: TPublish; content: Buffer }, timeoutMs: number): Promise<TPublishOutcome> {
    if (connectionClosed) return { state: 'retry', error: 'connection to the broker lost before the publish' };
    let ch: ConfirmChannel;
    try {
      const missing = await checkExchange(p.exchange);
      if (missing) return missing;
      ch = await ensureChannel();
    } catch (error) {
      return { state: 'retry', error: `cannot open a channel: ${(error as Error).message}` };
    }
    return new Promise<TPublishOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: TPublishOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        returned.delete(p.dispatchId);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        // A confirm may still come; this channel's answers are no longer trusted.
        settle({ state: 'retry', error: `no confirm from the broker within ${timeoutMs} ms` });
        channelClosed = true;
        void ch.close().catch(() => {});
      }, timeoutMs);
      try {
        // One publish in flight: its confirm comes after its bytes are written, so the
        // socket's buffer never holds more than one message of ours. A return notice left
        // by an earlier attempt of this dispatch (a late frame on a channel given up on)
        // must not fail this one.
        returned.delete(p.dispatchId);
        ch.publish(p.exchange, p.routingKey, content, p.options, (error) => {
          if (!error) {
            const why = returned.get(p.dispatchId);
            return settle(why ? { state: 'failed', result: why } : { state: 'published' });
          }
          if (error.message === 'message nacked') return settle({ state: 'failed', result: 'nacked by the broker (it did not take responsibility for the message)' });
          const refusal = serverError;
          if (refusal && !connectionClosed && refusal.classId === BASIC_PUBLISH.classId && refusal.methodId === BASIC_PUBLISH.methodId) {
            if (refusal.code === 404) knownExchanges.delete(p.exchange);
            return settle({ state: 'failed', result: `refused by the broker: ${refusal.message.replace(/^Channel closed by server: /, '')}` });
          }
          settle({ state: 'retry', error: refusal ? refusal.message : error.message });
        });
      } catch (error) {
        // amqplib encodes before it writes: an encoding error is about this message and will not go away.
        const name = (error as Error).name;
        settle(name === 'IllegalOperationError'
          ? { state: 'retry', error: (error as Error).message }
          : { state: 'failed', result: `cannot be encoded for AMQP: ${(error as Error).message}` });
      }
    });
  }

  async function publishMany(items: { publish: TPublish; content: Buffer }[], timeoutMs: number): Promise<TPublishOutcome[]> {
    if (connectionClosed) return items.map(() => ({ state: 'retry', error: 'connection to the broker lost before the publish' }));
    let ch: ConfirmChannel;
    try {
      for (const exchange of new Set(items.map((i) => i.publish.exchange))) {
        const missing = await checkExchange(exchange);
        if (missing) return items.map(() => (missing.state === 'failed' ? { state: 'retry', error: missing.result } : missing));
      }
      ch = await ensureChannel();
    } catch (error) {
      return items.map(() => ({ state: 'retry', error: `cannot open a channel: ${(error as Error).message}` }));
    }
    const outcomes: (TPublishOutcome | undefined)[] = items.map(() => undefined);
    let left = items.length;
    return new Promise<TPublishOutcome[]>((resolve) => {
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        for (const item of items) returned.delete(item.publish.dispatchId);
        const answered = outcomes.map((o) => o ?? { state: 'retry' as const, error: 'no confirm from the broker' });
        if (answered.some((o) => o.state === 'retry')) pipelines = false;
        resolve(answered);
      };
      const settle = (i: number, outcome: TPublishOutcome) => {
        if (finished || outcomes[i]) return;
        outcomes[i] = outcome;
        if (--left === 0) finish();
      };
      const timer = setTimeout(() => {
        // Confirms may still come; this channel's answers are no longer trusted.
        for (let i = 0; i < items.length; i++) settle(i, { state: 'retry', error: `no confirm from the broker within ${timeoutMs} ms` });
        channelClosed = true;
        void ch.close().catch(() => {});
        finish();
      }, timeoutMs);
      for (const [i, { publish: p, content }] of items.entries()) {
        try {
          returned.delete(p.dispatchId);
          ch.publish(p.exchange, p.routingKey, content, p.options, (error) => {
            if (!error) {
              const why = returned.get(p.dispatchId);
              return settle(i, why ? { state: 'failed', result: why } : { state: 'published' });
            }
            if (error.message === 'message nacked') return settle(i, { state: 'failed', result: 'nacked by the broker (it did not take responsibility for the message)' });
            // Refused, or the channel went: which publish of the window was refused is not known, so none is failed here.
            settle(i, { state: 'retry', error: serverError ? serverError.message : error.message });
          });
        } catch (error) {
          const name = (error as Error).name;
          settle(i, name === 'IllegalOperationError'
            ? { state: 'retry', error: (error as Error).message }
            : { state: 'failed', result: `cannot be encoded for AMQP: ${(error as Error).message}` });
        }
      }
    });
  }

  return {
    publish,
    publishMany,
    get usable() { return !connectionClosed; },
    get pipelines() { return pipelines; },
    async close() {
      if (channel && !channelClosed) await channel.close().catch(() => {});
    },
  };
}
