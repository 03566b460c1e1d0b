import { describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { isMessageInScope, isQueueInScope, requireMessageInScope, scopeMessageWhere } from './team-scope';

const TEAM_A = '11111111-1111-4111-8111-111111111111';
const TEAM_B = '22222222-2222-4222-8222-222222222222';
const scoped: TActor = { kind: 'user', id: 'u', email: 'a@example.com', role: 'operator', scope: { teamIds: [TEAM_A], origins: ['billing'], sources: ['billing.dlq'] } };
const unscoped: TActor = { kind: 'user', id: 'v', email: 'b@example.com', role: 'operator' };
const worker: TActor = { kind: 'system', name: 'worker' };
const message = (over: Partial<{ sourceQueue: string; originQueue: string | null; ownerTeamId: string | null }> = {}) => ({
  id: 7n, sourceQueue: 'other.dlq', originQueue: 'other', ownerTeamId: null, ...over,
});

describe('team scope', () => {
  it('reaches a message by origin queue, source queue, or an owner an ownership rule set to one of its teams', () => {
    expect(isMessageInScope(scoped, message({ originQueue: 'billing' }))).toBe(true);
    expect(isMessageInScope(scoped, message({ sourceQueue: 'billing.dlq' }))).toBe(true);
    expect(isMessageInScope(scoped, message({ ownerTeamId: TEAM_A }))).toBe(true);
    expect(isMessageInScope(scoped, message({ ownerTeamId: TEAM_B }))).toBe(false);
    expect(isMessageInScope(scoped, message({ originQueue: null }))).toBe(false);
    expect(isMessageInScope(scoped, message())).toBe(false);
  });

  it('answers out of scope as a missing message', () => {
    expect(() => requireMessageInScope(scoped, message({ ownerTeamId: TEAM_B }))).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'No message with id 7' }));
    expect(() => requireMessageInScope(scoped, message({ ownerTeamId: TEAM_A }))).not.toThrow();
  });

  it('limits queries the same way, and leaves unscoped actors and the worker unlimited', () => {
    expect(scopeMessageWhere(scoped)).toEqual({
      OR: [{ originQueue: { in: ['billing'] } }, { sourceQueue: { in: ['billing.dlq'] } }, { ownerTeamId: { in: [TEAM_A] } }],
    });
    expect(scopeMessageWhere(unscoped)).toEqual({});
    expect(scopeMessageWhere(worker)).toEqual({});
    expect(isMessageInScope(worker, message())).toBe(true);
  });

  it('a team with no queues still reaches what rules gave it, and nothing else', () => {
    const rulesOnly: TActor = { ...scoped, scope: { teamIds: [TEAM_A], origins: [], sources: [] } } as TActor;
    expect(isMessageInScope(rulesOnly, message({ ownerTeamId: TEAM_A, originQueue: 'billing' }))).toBe(true);
    expect(isMessageInScope(rulesOnly, message({ originQueue: 'billing' }))).toBe(false);
    expect(isQueueInScope(rulesOnly, 'billing')).toBe(false);
  });
});
