import { describe, expect, it } from 'vitest';
import { describeRule, maskWebhookUrl, ZAlertRuleInput, ZAlertRuleUpdate } from './alert-rule-dto';

const base = { name: 'Orders spike', subjectKind: 'source', subject: 'orders.dlq', metric: 'inflow', comparison: 'above', threshold: 10 };
const problems = (input: unknown) => {
  const r = ZAlertRuleInput.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('alert rule input', () => {
  it('fills the defaults', () => {
    expect(ZAlertRuleInput.parse(base)).toEqual({ ...base, minValue: 0, windowMinutes: 5, forMinutes: 0, webhookUrl: null, webhookFormat: 'json', webhookSecret: null, enabled: true });
  });

  it('names the field that is wrong', () => {
    expect(problems({ ...base, threshold: 0 })).toEqual(['threshold must be greater than 0']);
    expect(problems({ ...base, webhookUrl: 'ftp://x.example/y' })).toEqual(['webhookUrl must be an http(s) URL such as https://hooks.example.com/dlq']);
    expect(problems({ ...base, webhookUrl: 'not a url' })).toEqual(['webhookUrl must be an http(s) URL such as https://hooks.example.com/dlq']);
    expect(problems({ ...base, windowMinutes: 0 })).toEqual(['windowMinutes must be at least 1']);
    expect(problems({ ...base, forMinutes: 1.5 })).toEqual(['forMinutes must be a whole number of minutes']);
    expect(problems({ ...base, metric: 'unresolved', comparison: 'baseline' })).toEqual([
      'comparison: baseline needs history, which only the inflow metric has; use comparison "above" for unresolved',
    ]);
    expect(problems({ ...base, webhookSecret: 'abcdefgh12' })).toEqual(['webhookSecret: a secret signs webhook notifications; give a webhookUrl too']);
    expect(problems({ ...base, extra: 1 })).toHaveLength(1);
    expect(problems({ ...base, webhookUrl: 'https://user:pw@hooks.example.com/x' })).toEqual([
      'webhookUrl must not contain a user name or password (user:pass@); put a token in the path or sign with webhookSecret',
    ]);
    expect(problems({ ...base, webhookUrl: 'https://token@hooks.example.com/x' })).toHaveLength(1);
  });

  it('a baseline rule needs minValue above 0, and gets 1/min when it names none', () => {
    expect(problems({ ...base, comparison: 'baseline', minValue: 0 })).toEqual([
      'minValue: a baseline rule needs minValue greater than 0; a queue that was quiet on the previous days has baseline 0, and would fire on its first message',
    ]);
    expect(ZAlertRuleInput.parse({ ...base, comparison: 'baseline' }).minValue).toBe(1);
    expect(ZAlertRuleInput.parse({ ...base, comparison: 'baseline', minValue: 0.5 }).minValue).toBe(0.5);
    expect(ZAlertRuleInput.parse(base).minValue).toBe(0);
  });

  it('an update needs the version and something to change', () => {
    expect(ZAlertRuleUpdate.safeParse({ name: 'x' }).error?.issues[0]?.message).toMatch(/^version is required/);
    expect(ZAlertRuleUpdate.safeParse({ version: 1 }).error?.issues[0]?.message).toMatch(/^nothing to change/);
    expect(ZAlertRuleUpdate.parse({ version: 1, webhookUrl: null })).toEqual({ version: 1, webhookUrl: null });
  });
});

describe('webhook masking', () => {
  it('keeps the scheme and host only', () => {
    expect(maskWebhookUrl('https://hooks.slack.com/services/T000/B000/XXXXSECRET?x=1')).toBe('https://hooks.slack.com/…');
    expect(maskWebhookUrl('http://user:pw@127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/…');
    expect(maskWebhookUrl(null)).toBeNull();
  });
});

describe('describeRule', () => {
  it('says what the rule watches', () => {
    expect(describeRule({ subjectKind: 'origin', subject: '*', metric: 'inflow', comparison: 'baseline', threshold: 3, minValue: 10, windowMinutes: 5, forMinutes: 2 }))
      .toBe('inflow/min over 5 min of each origin > 3 × baseline (and ≥ 10) for 2 min');
  });
});
