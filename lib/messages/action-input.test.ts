import { describe, expect, it } from 'vitest';
import { BULK_MAX_IDS, ZBulkRequest, ZRedirectRequest, ZReplayRequest } from './action-input';

describe('action request bodies', () => {
  it.each([
    [ZRedirectRequest, { version: 1, team: 'bil\u0000ling' }, /control characters/],
    [ZReplayRequest, { version: 1, sandbox: 'stag\u0000ing' }, /control characters/],
    [ZRedirectRequest, { version: 1, team: 'a', allTeams: true }, /one "team"/],
    [ZRedirectRequest, { version: 1 }, /one "team"/],
    [ZReplayRequest, { version: 0 }, /Too small|version/],
    [ZReplayRequest, { version: 1, target: { queue: 'a', exchange: 'b' } }, /.+/],
  ])('refuses %#', (schema, input, message) => {
    const parsed = schema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message).join('; ')).toMatch(message);
  });

  it('takes a team, all teams, or a sandbox by name', () => {
    expect(ZRedirectRequest.parse({ version: 2, team: 'billing', reason: '  owner  ' })).toEqual({ version: 2, team: 'billing', reason: 'owner' });
    expect(ZRedirectRequest.parse({ version: 2, allTeams: true })).toMatchObject({ allTeams: true });
    expect(ZReplayRequest.parse({ version: 2, sandbox: 'staging', revision: 0 })).toMatchObject({ sandbox: 'staging', revision: 0 });
  });
});

describe('the bulk request body', () => {
  const issues = (input: unknown) => {
    const parsed = ZBulkRequest.safeParse(input);
    expect(parsed.success).toBe(false);
    return parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };

  it('names one action and 1 to 10,000 distinct message ids', () => {
    expect(issues({ action: 'edit', ids: ['1'] })).toMatch(/"replay", "redirect" or "discard"/);
    expect(issues({ action: 'replay', ids: [] })).toMatch(/ids: must name at least one message/);
    expect(issues({ action: 'replay', ids: Array.from({ length: BULK_MAX_IDS + 1 }, (_, i) => String(i + 1)) })).toMatch(/at most 10000/);
    expect(issues({ action: 'replay', ids: ['1', '2', '1'] })).toMatch(/must not name a message twice/);
    expect(issues({ action: 'replay', ids: ['1', '0'] })).toMatch(/ids.1: must be message ids/);
    expect(issues({ action: 'replay', ids: [1] })).toMatch(/ids.0/);
    expect(ZBulkRequest.parse({ action: 'discard', ids: Array.from({ length: BULK_MAX_IDS }, (_, i) => String(i + 1)) }).ids).toHaveLength(BULK_MAX_IDS);
  });

  it('takes the fields of the single action, without a version, and nothing else', () => {
    expect(ZBulkRequest.parse({ action: 'replay', ids: ['7'], target: { queue: 'orders' }, reason: ' fixed ' })).toEqual({ action: 'replay', ids: ['7'], target: { queue: 'orders' }, reason: 'fixed' });
    expect(ZBulkRequest.parse({ action: 'redirect', ids: ['7'], allTeams: true })).toMatchObject({ allTeams: true });
    expect(issues({ action: 'redirect', ids: ['7'] })).toMatch(/one "team"/);
    expect(issues({ action: 'discard', ids: ['7'], version: 3 })).toMatch(/version/);
    expect(issues({ action: 'discard', ids: ['7'], team: 'billing' })).toMatch(/team/);
  });
});
