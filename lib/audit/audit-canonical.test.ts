import { describe, expect, it } from 'vitest';
import { canonicalAuditEvent, GENESIS_HASH, hashAuditEvent, type TCanonicalAuditFields } from './audit-canonical';

// The expected strings and hashes below were produced by PostgreSQL (octet_length,
// convert_to and sha256, as the migration's audit_field does), not by this module, so the
// two implementations are checked against each other rather than against themselves.

const EVENT: TCanonicalAuditFields = {
  id: 42n,
  at: new Date('2026-01-02T03:04:05.006Z'),
  actor: 'user:zoë@example.com',
  action: 'message.replay_requested',
  subject: null,
  reason: 'naïve fix → retry 😀',
  before: null,
  // jsonb text keeps the escapes it prints: \u0001 and \n are backslash sequences here.
  after: '{"a": "é\\u0001x\\n", "b": [1, 2.50], "aa": null}',
  messageId: 9007199254740993n,
  requestId: null,
  target: 'queue orders',
  result: null,
  sourceQueue: 'orders',
  originQueue: null,
  outcome: 'pending',
};

const CANONICAL =
  '2:42' + '24:2026-01-02T03:04:05.006Z' + '21:user:zoë@example.com' + '24:message.replay_requested' + '-' +
  '25:naïve fix → retry 😀' + '-' + '48:{"a": "é\\u0001x\\n", "b": [1, 2.50], "aa": null}' + '16:9007199254740993' +
  '-' + '12:queue orders' + '-' + '6:orders' + '-' + '7:pending';

describe('canonicalAuditEvent', () => {
  it('writes every field in order, NULL as "-", others prefixed with their UTF-8 octet length', () => {
    expect(canonicalAuditEvent(EVENT)).toBe(CANONICAL);
  });

  it('counts octets, not UTF-16 code units (é 2, → 3, 😀 4)', () => {
    const text = canonicalAuditEvent({ ...EVENT, reason: 'é→😀' });
    expect(text).toContain('9:é→😀');
    expect('é→😀'.length).toBe(4); // what a naive .length would have written
  });

  it('writes ids in decimal beyond 2^53, whether given as bigint or string', () => {
    expect(canonicalAuditEvent({ ...EVENT, messageId: '9007199254740993' })).toBe(CANONICAL);
    expect(canonicalAuditEvent({ ...EVENT, id: '42' })).toBe(CANONICAL);
  });

  it('renders the time in UTC with milliseconds, whatever the zone of the Date', () => {
    const text = canonicalAuditEvent({ ...EVENT, at: new Date('2026-01-02T04:04:05.006+01:00') });
    expect(text).toBe(CANONICAL);
  });

  it('tells NULL from the empty string and from the text "-"', () => {
    const render = (subject: string | null) => canonicalAuditEvent({ ...EVENT, subject });
    expect(new Set([render(null), render(''), render('-')]).size).toBe(3);
    expect(render('')).toContain('24:message.replay_requested0:25:');
  });

  it('cannot be shifted between fields: moving text from one field to the next changes the form', () => {
    const a = canonicalAuditEvent({ ...EVENT, target: 'queue orders', result: null });
    const b = canonicalAuditEvent({ ...EVENT, target: 'queue', result: ' orders' });
    expect(a).not.toBe(b);
  });
});

describe('hashAuditEvent', () => {
  it('is sha256 over the previous hash then the UTF-8 canonical text (values from PostgreSQL)', () => {
    expect(hashAuditEvent(GENESIS_HASH, CANONICAL).toString('hex')).toBe('40944a109d293501722437a6a7071cd09f0127b1a988f651c7868ce9ffef7e34');
    expect(hashAuditEvent(Buffer.alloc(32, 0x11), CANONICAL).toString('hex')).toBe('72d0277603dd6b056d9ea984f9f74c9d1a5bd2b0962aa743592f9e1c511f225c');
  });

  it('starts the chain from 32 zero bytes', () => {
    expect(GENESIS_HASH.equals(Buffer.alloc(32))).toBe(true);
  });
});
