import { describe, expect, it } from 'vitest';
import { toTypedTable } from '../ingest/typed-headers';
import { readConsoleLineage } from './console-headers';

describe('readConsoleLineage', () => {
  it('reads the headers the console sets', () => {
    expect(readConsoleLineage(toTypedTable({
      'x-dlq-console-replay-id': 'A1B2C3D4-0000-4000-8000-000000000001',
      'x-dlq-console-original-message-id': '42',
      'x-dlq-console-replay-count': 3,
    }))).toEqual({ replayId: 'a1b2c3d4-0000-4000-8000-000000000001', originalMessageId: 42n, replayCount: 3 });
  });

  it.each([
    [{}],
    [{ 'x-dlq-console-replay-id': 'not-a-uuid', 'x-dlq-console-original-message-id': '0', 'x-dlq-console-replay-count': -1 }],
    [{ 'x-dlq-console-replay-id': 7, 'x-dlq-console-original-message-id': '99999999999999999999', 'x-dlq-console-replay-count': 1.5 }],
    [{ 'x-dlq-console-original-message-id': '9223372036854775808', 'x-dlq-console-replay-count': '3' }],
    [{ 'x-dlq-console-replay-id': Buffer.from('a1b2c3d4-0000-4000-8000-000000000001'), 'x-dlq-console-replay-count': 1e12 }],
  ])('ignores forged or malformed values: %j', (headers) => {
    expect(readConsoleLineage(toTypedTable(headers))).toEqual({ replayId: null, originalMessageId: null, replayCount: 0 });
  });
});
