import { describe, expect, it } from 'vitest';
import type { TTimelineItem } from '@/lib/messages/message-dto';
import { describeTimelineItem, shortActor } from './timeline-sentence';

const at = '2026-11-25T03:00:00.000Z';
const audit = (action: string, extra: Partial<Extract<TTimelineItem, { kind: 'audit' }>> = {}): TTimelineItem => ({
  kind: 'audit', at, id: '1', action, actor: 'user:ana@example.com', reason: null, target: null, result: null, before: null, after: null, ...extra,
});
const text = (item: TTimelineItem) => describeTimelineItem(item).parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');

describe('describeTimelineItem', () => {
  it('says where a message came from and where it went', () => {
    expect(text({ kind: 'ingested', at, source: 'orders.dlq', reason: 'rejected', origin: 'orders' })).toBe('Ingested from orders.dlq (rejected)');
    expect(text(audit('message.edited', { after: { revision: 2 } }))).toBe('Edited by ana@example.com — revision #2');
    expect(text(audit('message.replay_requested', { target: 'queue orders', after: { revision: 0 } }))).toBe('Replay requested by ana@example.com to queue orders');
    expect(text(audit('message.replay_requested', { target: 'queue orders', after: { revision: 3 } }))).toBe('Replay requested by ana@example.com to queue orders, revision #3');
    expect(text(audit('message.redirect_requested', { target: 'all teams (2): billing, identity' }))).toBe('Redirect requested by ana@example.com to all teams (2): billing, identity');
    expect(text(audit('dispatch.published', { actor: 'system:worker', target: 'queue orders', result: 'confirmed' }))).toBe('Published to queue orders (confirmed)');
    expect(text(audit('dispatch.published', { actor: 'system:worker', target: 'team billing, queue bill', result: 'confirmed by the broker' }))).toBe('Published to team billing, queue bill (confirmed)');
    expect(text(audit('dispatch.retrying', { target: 'queue q', result: 'attempt 1 failed: timeout; retrying in 2 s' }))).toBe('Publish to queue q not confirmed yet: attempt 1 failed: timeout; retrying in 2 s');
    expect(text(audit('dispatch.failed', { actor: 'system:worker', target: 'queue gone', result: 'returned: NO_ROUTE' }))).toBe('Publish to queue gone failed: returned: NO_ROUTE');
    expect(text(audit('message.restored', { after: { status: 'new' } }))).toBe('Restored by ana@example.com (back to new)');
  });

  it('links a re-death to the message it became', () => {
    const sentence = describeTimelineItem({ kind: 'redeath', at, messageId: '42', dispatchId: 'd', reason: 'expired', origin: 'orders' });
    expect(sentence.parts).toContainEqual({ href: '/messages/42', text: 'message #42' });
    expect(sentence.tone).toBe('fail');
  });

  it('keeps the operator reason apart and renders unknown actions generically', () => {
    expect(describeTimelineItem(audit('message.discarded', { reason: 'duplicate of #7' })).reason).toBe('duplicate of #7');
    expect(text(audit('team.created', { actor: 'token:ci' }))).toBe('team.created by token:ci');
  });

  it('shortens user actors only', () => {
    expect(shortActor('user:a@b.c')).toBe('a@b.c');
    expect(shortActor('system:worker')).toBe('system:worker');
  });
});
