import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildJsonPayload, buildSlackPayload, messagesLink, signBody, type TAlertNotice } from './alert-payload';
import { backoffMs } from './deliver-notifications';

const notice: TAlertNotice = {
  event: 'firing', alertId: '3b8e7a52-9f0e-4c59-b2a4-0d6b1f3e2a11', rule: { id: 'c1d2e3f4-0000-4000-8000-000000000001', name: 'Orders <spike> & co' },
  subjectKind: 'source', subject: 'orders.dlq', metric: 'inflow', comparison: 'baseline', threshold: 3, value: 12.345, baseline: 2.5, limit: 7.5,
  windowMinutes: 5, firedAt: new Date('2026-11-30T12:00:00Z'), resolvedAt: null, link: 'https://dlq.example.com/messages?source=orders.dlq',
};

describe('alert payloads', () => {
  it('generic JSON: versioned, with the delivery id, the numbers rounded and the link', () => {
    expect(buildJsonPayload(notice)).toEqual({
      version: 1, event: 'firing', deliveryId: `${notice.alertId}:firing`, alertId: notice.alertId, rule: notice.rule,
      subjectKind: 'source', subject: 'orders.dlq', metric: 'inflow', comparison: 'baseline', threshold: 3,
      value: 12.35, baseline: 2.5, limit: 7.5, windowMinutes: 5, firedAt: '2026-11-30T12:00:00.000Z', resolvedAt: null,
      link: 'https://dlq.example.com/messages?source=orders.dlq',
      summary: 'inflow of source orders.dlq (over 5 min) is 12.35/min (limit 7.5/min, baseline 2.5/min)',
    });
  });

  it('Slack: text and mrkdwn blocks, names escaped, the link as <url|View messages>', () => {
    const resolved = buildSlackPayload({ ...notice, event: 'resolved', value: 1, resolvedAt: new Date('2026-11-30T12:10:00Z') });
    expect(resolved.text).toBe(
      ':white_check_mark: *Resolved*: Orders &lt;spike&gt; &amp; co\ninflow of source orders.dlq (over 5 min) is back to 1/min (limit 7.5/min, baseline 2.5/min) <https://dlq.example.com/messages?source=orders.dlq|View messages>',
    );
    expect(resolved.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: resolved.text } });
    expect(JSON.stringify(resolved.blocks[1])).toContain('resolved 2026-11-30T12:10:00.000Z');
    expect(buildSlackPayload({ ...notice, link: null }).text).not.toContain('View messages');
  });

  it('signature: sha256=<hex HMAC-SHA256 of the exact body>', () => {
    const body = JSON.stringify(buildJsonPayload(notice));
    expect(signBody(body, 's3cret-key')).toBe(`sha256=${createHmac('sha256', 's3cret-key').update(body).digest('hex')}`);
    expect(signBody(body, 's3cret-key')).not.toBe(signBody(body + ' ', 's3cret-key'));
  });

  it('links to the messages list by its source/origin filter', () => {
    expect(messagesLink('https://dlq.example.com/', 'origin', 'billing events')).toBe('https://dlq.example.com/messages?origin=billing+events');
    expect(messagesLink(undefined, 'source', 'x')).toBeNull();
  });

  it('retries back off exponentially up to 10 minutes', () => {
    expect([1, 2, 3, 4, 8, 20].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000, 600_000, 600_000]);
  });
});
