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
      { id: 'r1', field: 'exception_type' as const, pattern: '^Nope$', category: 'transient' as const, suggestedAction: null },
      { id: 'r2', field: 'exception_type' as const, pattern: 'timeoutexception', category: 'persistent' as const, suggestedAction: 'Call the payments team' },
      { id: 'r3', field: 'any' as const, pattern: '.', category: 'transient' as const, suggestedAction: null },
    ];
    expect(categoriseGroup(f, rules)).toMatchObject({ category: 'persistent', categoryRuleId: 'r2', suggestedAction: 'Call the payments team' });
    expect(categoriseGroup(f, rules.slice(2))).toMatchObject({ category: 'transient', categoryRuleId: 'r3', suggestedAction: SUGGESTED_ACTIONS.transient });
  });
});

describe('category rule patterns', () => {
  it.each(['timeout', '^com\\.acme\\.', '(foo|bar)+', '[a-z]+Exception$', 'a{2,5}', '(\\d)+x'])('accepts %s', (p) => expect(patternProblem(p)).toBeNull());
  it.each([
    ['', /empty/],
    ['x'.repeat(201), /at most 200/],
    ['(unclosed', /not a valid regular expression/],
    ['(a+)+$', /quantified group/],
    ['(\\w*)*', /quantified group/],
    ['((ab)*c)+', /quantified group/],
    ['(x+){2,}', /quantified group/],
    ['(a)\\1', /back-references/],
    ['bad\u0007', /control characters/],
  ])('refuses %j', (p, message) => expect(patternProblem(p)).toMatch(message));
});
