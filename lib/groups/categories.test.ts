import { describe, expect, it } from 'vitest';
import { categoriseGroup, SUGGESTED_ACTIONS, type TGroupFacts } from './categories';
import { patternProblem } from './category-rule-dto';

const facts = (f: Partial<TGroupFacts>): TGroupFacts => ({ reason: 'rejected', exceptionType: null, exceptionMessage: null, repeatedDeaths: false, ...f });

describe('built-in categories', () => {
  it.each<[Partial<TGroupFacts>, string]>([
    [{ exceptionType: 'System.TimeoutException', exceptionMessage: 'The operation has timed out' }, 'transient'],
    [{ exceptionMessage: 'connect ECONNREFUSED <n>.<n>.<n>.<n>:<n>' }, 'transient'],
    [{ exceptionMessage: 'Connection reset by peer' }, 'transient'],
    [{ exceptionMessage: 'HTTP 503 Service Unavailable' }, 'transient'],
    [{ exceptionMessage: 'Deadlock found when trying to get lock' }, 'transient'],
    [{ reason: 'expired' }, 'transient'],
    [{ reason: 'maxlen' }, 'transient'],
    [{ exceptionType: 'javax.validation.ConstraintViolationException', exceptionMessage: 'must not be blank' }, 'persistent'],
    [{ exceptionType: 'com.fasterxml.jackson.core.JsonParseException', exceptionMessage: 'Unexpected character' }, 'persistent'],
    [{ exceptionType: 'System.NullReferenceException', exceptionMessage: 'Object reference not set to an instance of an object.' }, 'persistent'],
    [{ reason: 'delivery_limit' }, 'persistent'],
    [{ reason: 'rejected', repeatedDeaths: true }, 'persistent'],
    [{ reason: 'rejected' }, 'unknown'],
    [{ exceptionType: 'com.acme.OrderNotFoundException', exceptionMessage: 'Order <n> not found' }, 'unknown'],
  ])('%o is %s', (f, category) => {
    const c = categoriseGroup(facts(f), []);
    expect(c.category).toBe(category);
    expect(c.categoryRuleId).toBeNull();
    expect(c.suggestedAction.length).toBeGreaterThan(0);
  });

  it('checks admin rules first, in order, with their own suggested action', () => {
    const f = facts({ exceptionType: 'System.TimeoutException', exceptionMessage: 'The operation has timed out' });
    const rules = [
      { id: 'r1', field: 'exception_type' as const, pattern: 'Nope', category: 'transient' as const, suggestedAction: null },
      { id: 'r2', field: 'exception_type' as const, pattern: 'system.*exception', category: 'persistent' as const, suggestedAction: 'Call the payments team' },
      { id: 'r3', field: 'any' as const, pattern: 'OPERATION HAS', category: 'transient' as const, suggestedAction: null },
    ];
    expect(categoriseGroup(f, rules)).toMatchObject({ category: 'persistent', categoryRuleId: 'r2', suggestedAction: 'Call the payments team' });
    expect(categoriseGroup(f, rules.slice(2))).toMatchObject({ category: 'transient', categoryRuleId: 'r3', suggestedAction: SUGGESTED_ACTIONS.transient });
  });
});

describe('admin rule patterns', () => {
  const rule = (pattern: string, field: 'any' | 'exception_message' = 'exception_message') => [{ id: 'r', field, pattern, category: 'transient' as const, suggestedAction: null }];
  const f = facts({ exceptionType: 'com.acme.OrderNotFoundException', exceptionMessage: 'Order <n> not found (a+)+ in [store]' });

  it.each([
    ['not found', true],
    ['ORDER*FOUND', true],
    ['order <n>', true],
    ['(a+)+', true],
    ['[store]', true],
    ['[a-z]', false],
    ['order.*found', false],
    ['^order', false],
    ['missing', false],
  ])('%j matches anywhere, case-insensitively, with * as the only wildcard: %s', (pattern, matches) => {
    expect(categoriseGroup(f, rule(pattern)).categoryRuleId).toBe(matches ? 'r' : null);
  });

  it('runs patterns shaped like catastrophic regexes in linear time', () => {
    const hostile = facts({ exceptionMessage: 'a'.repeat(500), exceptionType: 'x'.repeat(255) });
    const started = performance.now();
    for (const pattern of ['(a|a)*$', '(\\w|\\d)+$', '(a?){25}a{25}', '.*.*.*.*.*.*.*.*x', 'a*a*a*a*a*a*a*a*a*a*b']) {
      expect(patternProblem(pattern)).toBeNull();
      expect(categoriseGroup(hostile, rule(pattern, 'any')).categoryRuleId).toBeNull();
    }
    expect(performance.now() - started).toBeLessThan(100);
  });

  it.each(['timeout', 'com.acme.*NotFound', '(foo|bar)+', 'Connection * refused', 'a*b*c*d*e*f*g*h*i*j*k'])('accepts %s', (p) => expect(patternProblem(p)).toBeNull());
  it.each([
    ['', /empty/],
    ['x'.repeat(201), /at most 200/],
    ['***', /text besides/],
    ['a*b*c*d*e*f*g*h*i*j*k*l', /at most 10/],
    [' padded', /spaces/],
    ['bad\u0007', /control characters/],
    ['tab\there', /control characters/],
  ])('refuses %j', (p, message) => expect(patternProblem(p)).toMatch(message));
});
