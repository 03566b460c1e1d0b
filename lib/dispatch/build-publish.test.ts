import { describe, expect, it } from 'vitest';
import { toTypedTable } from '../ingest/typed-headers';
import { buildPublish } from './build-publish';
import type { TClaimedDispatch } from './claim-dispatches';

const dispatch: TClaimedDispatch = {
  id: '11111111-1111-4111-8111-111111111111', actionId: '22222222-2222-4222-8222-222222222222', messageId: 5n, kind: 'replay',
  revisionId: null, exchange: '', routingKey: 'orders', teamName: null, sandboxId: null, sandboxName: null, replayCount: 2, attempts: 1, reason: 'fixed',
};

const source = {
  messageId: 5n,
  originalMessageId: null,
  originQueue: 'orders',
  deathReason: 'rejected',
  properties: toTypedTable({ contentType: 'application/json', messageId: 'm', userId: 'someone', expiration: '100', deliveryMode: 1, priority: 3 }),
  headers: toTypedTable({ a: 1, 'x-death': [{ queue: 'orders' }], 'x-first-death-queue': 'orders', 'x-last-death-reason': 'rejected', 'x-dlq-console-replay-id': 'old' }),
  revisionNumber: 0,
};

describe('buildPublish', () => {
  it('sends the properties as they arrived minus userId and expiration, and the console headers instead of the death history', () => {
    const p = buildPublish(dispatch, source);
    expect(p).toMatchObject({ exchange: '', routingKey: 'orders' });
    expect(p.options).toEqual({
      mandatory: true, deliveryMode: 1, contentType: 'application/json', messageId: 'm', priority: 3,
      headers: {
        a: 1,
        'x-dlq-console-replay-id': dispatch.id,
        'x-dlq-console-replay-count': 2,
        'x-dlq-console-original-message-id': '5',
        'x-dlq-console-revision': 0,
      },
    });
  });

  it('makes a message that said nothing persistent, and says where a redirect came from', () => {
    const p = buildPublish(
      { ...dispatch, kind: 'redirect', teamName: 'billing', exchange: 'teams', routingKey: 'billing' },
      { ...source, properties: {}, originalMessageId: 1n, revisionNumber: 3 },
    );
    expect(p.options.deliveryMode).toBe(2);
    expect(p.options.headers).toMatchObject({
      'x-dlq-console-original-message-id': '1',
      'x-dlq-console-revision': 3,
      'x-dlq-console-redirected-from': 'orders',
      'x-dlq-console-death-reason': 'rejected',
      'x-dlq-console-team': 'billing',
      'x-dlq-console-redirect-reason': 'fixed',
    });
  });
});
