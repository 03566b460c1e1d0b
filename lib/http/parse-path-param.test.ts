import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { ZQueueName } from '../validation/broker-names';
import { parsePathParam } from './parse-path-param';

describe('parsePathParam', () => {
  it('returns the value as it came when the schema takes it', () => {
    expect(parsePathParam('queue', ZQueueName, 'orders.dlq')).toBe('orders.dlq');
    // Not trimmed: " orders.dlq" is not another way to name orders.dlq.
    expect(parsePathParam('queue', ZQueueName, ' orders.dlq')).toBe(' orders.dlq');
  });

  it('refuses a name that could never have been stored, naming the parameter', () => {
    for (const [value, message] of [['q\u0000', /control characters/], ['x'.repeat(300), /longer than 255 bytes/], ['', /empty/]] as const) {
      const error = (() => { try { parsePathParam('queue', ZQueueName, value); } catch (e) { return e; } })();
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INVALID_INPUT');
      expect((error as AppError).message).toMatch(/^Invalid path parameter "queue": /);
      expect((error as AppError).message).toMatch(message);
    }
  });
});
