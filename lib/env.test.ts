import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('has defaults that work on a development machine', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ DATABASE_URL: expect.stringMatching(/^postgresql:\/\/.*127\.0\.0\.1/), RABBITMQ_URL: expect.stringMatching(/^amqp:\/\//), DLQ_SOURCES: [], DLQ_LARGE_BODY_BYTES: 10 * 1024 * 1024 });
  });

  it('treats an empty value as unset', () => {
    const env = parseEnv({ NEXTAUTH_SECRET: '', DLQ_PREFETCH: ' ' });
    expect(env.NEXTAUTH_SECRET).toBeUndefined();
    expect(env.DLQ_PREFETCH).toBe(500);
  });

  it('reads a list of sources', () => {
    expect(parseEnv({ DLQ_SOURCES: ' a.dlq, b.dlq ,,' }).DLQ_SOURCES).toEqual(['a.dlq', 'b.dlq']);
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(() => parseEnv({ DLQ_PREFETCH: '-1' })).toThrow(/DLQ_PREFETCH/);
    expect(() => parseEnv({ DLQ_LARGE_BODY_BYTES: 'lots' })).toThrow(/DLQ_LARGE_BODY_BYTES/);
    expect(() => parseEnv({ NEXTAUTH_SECRET: 'short' })).toThrow(/NEXTAUTH_SECRET/);
    expect(() => parseEnv({ DLQ_PREFETCH: '10', DLQ_BATCH_SIZE: '20' })).toThrow(/DLQ_BATCH_SIZE/);
  });
});
