import { describe, expect, it } from 'vitest';
import { bindLogContext, CENSORED, createLogger, logContext, withLogContext } from './log';

function capture(level?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const logger = createLogger({ level, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } });
  const lines = (which: string[]) => which.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, out: () => lines(out), err: () => lines(err), raw: () => out.join('') + err.join('') };
}

describe('log lines', () => {
  it('are one JSON object a line with a level label, an ISO time and msg', () => {
    const c = capture();
    c.logger.info({ queue: 'orders.dlq', status: 200, path: '/api/v1/messages' }, 'consuming source');
    const [line] = c.out();
    expect(line).toEqual({ level: 'info', time: expect.any(String), msg: 'consuming source', queue: 'orders.dlq', status: 200, path: '/api/v1/messages' });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
    expect(c.err()).toEqual([]);
  });

  it('carry the request id inside a context, the innermost id winning, and none outside', async () => {
    const c = capture();
    await withLogContext({ requestId: 'req-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      c.logger.info({}, 'inside');
      withLogContext({ messageId: '42' }, () => c.logger.info({}, 'nested'));
      expect(logContext()).toEqual({ requestId: 'req-1' });
    });
    c.logger.info({}, 'outside');
    expect(c.out().map((l) => [l.msg, l.requestId, l.messageId])).toEqual([
      ['inside', 'req-1', undefined],
      ['nested', 'req-1', '42'],
      ['outside', undefined, undefined],
    ]);
    expect(logContext()).toBeUndefined();
  });

  it('never hold bodies, headers, properties, credentials or URLs, at any depth and in any case', () => {
    const c = capture();
    c.logger.warn({
      messageId: '7', queue: 'q',
      body: 'SECRET-BODY', bodyJson: { card: 'SECRET-CARD' }, Headers: { traceparent: 'SECRET-TP' }, properties: { correlationId: 'SECRET-CID' },
      webhook_url: 'https://hooks.example/SECRET-HOOK', request: { authorization: 'Bearer SECRET-TOKEN', nested: { deeper: { password: 'SECRET-PW', cookie: 'SECRET-C' } } },
      list: [{ token: 'SECRET-T' }, { secret: 'SECRET-S', url: 'https://x.example/SECRET-U' }], bytes: Buffer.from('SECRET-BYTES'),
    }, 'sanitised');
    expect(c.raw()).not.toMatch(/SECRET/);
    const [line] = c.err();
    expect(line).toMatchObject({
      messageId: '7', queue: 'q', body: CENSORED, bodyJson: CENSORED, Headers: CENSORED, properties: CENSORED, webhook_url: CENSORED,
      request: { authorization: CENSORED, nested: { deeper: { password: CENSORED, cookie: CENSORED } } },
      list: [{ token: CENSORED }, { secret: CENSORED, url: CENSORED }], bytes: '[12 bytes]',
    });
  });

  it('write warn and error to stderr only, the rest to stdout, from the LOG_LEVEL threshold up', () => {
    const c = capture('warn');
    c.logger.debug({}, 'd');
    c.logger.info({}, 'i');
    c.logger.warn({}, 'w');
    c.logger.error({}, 'e');
    expect(c.out()).toEqual([]);
    expect(c.err().map((l) => [l.level, l.msg])).toEqual([['warn', 'w'], ['error', 'e']]);

    const d = capture('debug');
    d.logger.debug({}, 'd');
    d.logger.info({}, 'i');
    expect(d.out().map((l) => l.level)).toEqual(['debug', 'info']);

    const unknown = capture('loud');
    unknown.logger.debug({}, 'd');
    unknown.logger.info({}, 'i');
    expect(unknown.out().map((l) => l.msg)).toEqual(['i']);
  });

  it('serialise errors as name, message and code, bigints as strings, and a message with % as it is', () => {
    const c = capture();
    const error = Object.assign(new TypeError('connect refused'), { code: 'ECONNREFUSED' });
    const cycle: Record<string, unknown> = { id: 1n };
    cycle.self = cycle;
    c.logger.error({ error, id: 9007199254740993n, cycle }, '100% failed %s');
    const [line] = c.err();
    expect(line).toEqual({
      level: 'error', time: expect.any(String), msg: '100% failed %s',
      error: { name: 'TypeError', message: 'connect refused', code: 'ECONNREFUSED' },
      id: '9007199254740993', cycle: { id: '1', self: '[circular]' },
    });
    expect(c.raw()).not.toContain('at ');
  });

  it('carry the request id from a streamed body read after the context ended, and pass its bytes and errors through', async () => {
    const c = capture();
    const source = withLogContext({ requestId: 'req-2' }, () => new ReadableStream<Uint8Array>({
      pull(controller) {
        c.logger.info({}, 'pulled');
        controller.enqueue(new Uint8Array([1, 2]));
        controller.close();
      },
    }, { highWaterMark: 0 }));
    await new Promise((r) => setTimeout(r, 1));
    expect(await new Response(bindLogContext({ requestId: 'req-2' }, source)).arrayBuffer()).toEqual(new Uint8Array([1, 2]).buffer);
    expect(c.out().map((l) => [l.msg, l.requestId])).toEqual([['pulled', 'req-2']]);

    const failing = new ReadableStream<Uint8Array>({ pull: () => { throw new Error('broken'); } });
    await expect(new Response(bindLogContext({ requestId: 'r' }, failing)).text()).rejects.toThrow('broken');
  });
});
