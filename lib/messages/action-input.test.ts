import { describe, expect, it } from 'vitest';
import { ZRedirectRequest, ZReplayRequest } from './action-input';

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
