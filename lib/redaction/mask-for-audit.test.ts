import { describe, expect, it } from 'vitest';
import { fingerprint, maskForAudit } from './mask-for-audit';

const SECRET = 'Bearer s3cr3t';
const rules = [{ kind: 'header', pattern: 'authorization' }, { kind: 'json_path', pattern: '$.x' }];

describe('maskForAudit', () => {
  const changes = {
    added: ['Authorization'], removed: [], changed: ['x-tenant'],
    values: {
      Authorization: { after: { type: 'string' as const, value: SECRET } },
      'x-tenant': { before: { type: 'string' as const, value: 'a' }, after: { type: 'string' as const, value: 'b' } },
    },
  };

  it('replaces values of masked headers with a fingerprint and keeps the others', () => {
    const masked = maskForAudit(changes, rules, 'message:1');
    expect(JSON.stringify(masked)).not.toContain('s3cr3t');
    expect(masked.values.Authorization).toEqual({ after: { redacted: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(masked.values['x-tenant']).toEqual(changes.values['x-tenant']);
    expect(masked.added).toEqual(['Authorization']);
  });

  it('gives equal values in one message the same fingerprint, and other messages another', () => {
    const one = maskForAudit(changes, rules, 'message:1').values.Authorization!.after;
    expect(maskForAudit(changes, rules, 'message:1').values.Authorization!.after).toEqual(one);
    expect(maskForAudit(changes, rules, 'message:2').values.Authorization!.after).not.toEqual(one);
  });

  it('keeps a fingerprint already made', () => {
    const already = fingerprint('s', { type: 'string', value: SECRET });
    const masked = maskForAudit({ added: [], removed: [], changed: ['authorization'], values: { authorization: { before: already } } }, rules, 'message:1');
    expect(masked.values.authorization!.before).toBe(already);
  });

  it('changes nothing without header rules', () => {
    expect(maskForAudit(changes, [], 'message:1')).toEqual(changes);
  });
});
