import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors';
import { readEmptyBody, readJsonBody } from './read-json-body';

const json = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://console.test/api/v1/x', { method: 'POST', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

/** A body without Content-Length, as a chunked upload arrives. */
function streamOf(bytes: number) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const chunk = new Uint8Array(Math.min(64 * 1024, bytes - sent)).fill(0x20);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const ZBody = z.strictObject({ version: z.number() });

describe('readJsonBody', () => {
  it('refuses a body over the limit as TOO_LARGE (413), whether declared or streamed', async () => {
    const declared = await refusal(readJsonBody(json('{"version":1}', { 'content-type': 'application/json', 'content-length': '999999' }), ZBody, 100));
    expect([declared.code, declared.message]).toEqual(['TOO_LARGE', 'Request body is 999999 bytes; the limit is 100']);
    const streamed = await refusal(readJsonBody(json(streamOf(300_000)), ZBody, 100_000));
    expect([streamed.code, streamed.message]).toEqual(['TOO_LARGE', 'Request body is over the 100000-byte limit']);
  });

  it('names the unknown field, and the field of the wrong type', async () => {
    expect((await refusal(readJsonBody(json('{"version":1,"sneaky":true}'), ZBody))).message).toBe('Unknown field "sneaky"');
    expect((await refusal(readJsonBody(json('{"version":"1"}'), ZBody))).message).toMatch(/^"version": .*expected number/);
    expect((await refusal(readJsonBody(json('{"version":'), ZBody))).message).toMatch(/^Request body is not valid JSON/);
  });
});

describe('readEmptyBody', () => {
  it('takes no body, an empty one, or {}', async () => {
    await readEmptyBody(json(null, {}));
    await readEmptyBody(json('', {}));
    await readEmptyBody(json(' {} ', { 'content-type': 'application/json' }));
  });

  it('refuses fields, malformed JSON and anything large, naming the problem', async () => {
    expect((await refusal(readEmptyBody(json('{"reason":"x"}')))).message).toBe('Unknown field "reason"');
    expect((await refusal(readEmptyBody(json('{"reason"')))).message).toMatch(/^Request body is not valid JSON/);
    expect((await refusal(readEmptyBody(json('[]')))).code).toBe('INVALID_INPUT');
    expect((await refusal(readEmptyBody(json(streamOf(5000))))).code).toBe('TOO_LARGE');
    expect((await refusal(readEmptyBody(json('{}', { 'content-type': 'text/plain' })))).message).toMatch(/Content-Type: application\/json/);
  });
});
