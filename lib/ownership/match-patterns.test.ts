import { describe, expect, it } from 'vitest';
import { compileRule, compileRules, findOwningRule, type TRuleLike } from './evaluate-rules';
import { projectionsOf, subjectOf, toSqlJsonPath } from './load-rule-subjects';
import { MAX_WILDCARD_TEXT, wildcardMatch } from '../validation/wildcard-match';
import { globMatches, jsonPathProblem, matchesTopic, MAX_GLOB_STARS, parseJsonPath, readJsonPath } from './match-patterns';
import { matchProblem } from './ownership-rule-dto';

describe('matchesTopic (AMQP topic semantics)', () => {
  it.each([
    ['orders.*', 'orders.created', true],
    ['orders.*', 'orders.created.eu', false],
    ['orders.*', 'orders', false],
    ['orders.#', 'orders', true],
    ['orders.#', 'orders.created.eu', true],
    ['#.eu', 'orders.created.eu', true],
    ['#.eu', 'eu', true],
    ['#', '', true],
    ['#', 'a.b.c', true],
    ['*.created.*', 'orders.created.eu', true],
    ['*.created.*', 'orders.updated.eu', false],
    ['a.#.b', 'a.b', true],
    ['a.#.b', 'a.x.y.b', true],
    ['a.#.b', 'a.x.y.c', false],
    ['ord*.created', 'orders.created', false],
    ['ord*.created', 'ord*.created', true],
    ['billing', 'billing', true],
    ['billing', 'billing.x', false],
  ])('%s against %s is %s', (pattern, key, expected) => {
    expect(matchesTopic(pattern, key)).toBe(expected);
  });

  it('stays fast on many # words', () => {
    const started = performance.now();
    expect(matchesTopic('#.#.#.#.#.#.#.#.#.#.#.#.x', Array.from({ length: 200 }, () => 'a').join('.'))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('stays linear in the key on a forged, huge routing key and the longest pattern', () => {
    const pattern = Array.from({ length: 499 }, (_, i) => (i % 2 ? '#' : '*')).join('.');
    const started = performance.now();
    expect(matchesTopic(`${pattern}.x`, Array.from({ length: 60_000 }, () => 'a').join('.'))).toBe(false);
    expect(matchesTopic('#.a', Array.from({ length: 2000 }, () => 'a').join('.'))).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('globMatches', () => {
  it('treats * as any characters and everything else literally, over the whole text', () => {
    expect(globMatches('billing.*', 'billing.invoices')).toBe(true);
    expect(globMatches('billing.*', 'billingxinvoices')).toBe(false);
    expect(globMatches('*-eu', 'orders-eu')).toBe(true);
    expect(globMatches('a(b)+[c]', 'a(b)+[c]')).toBe(true);
    expect(globMatches('exact', 'exact ')).toBe(false);
    expect(globMatches('exact', ' exact')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
  });

  it('stays linear on a hostile header value: *a*a*a*b against 100,000 a\'s in under 100 ms', () => {
    const started = performance.now();
    expect(globMatches('*a*a*a*b', 'a'.repeat(100_000))).toBe(false);
    expect(globMatches('*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(128 * 1024))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('answers exactly as wildcardMatch, on random texts and globs', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (alphabet: string, max: number) => Array.from({ length: random(max) }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const text = word('ab', 12);
      const glob = word('ab*', 8);
      expect([glob, text, globMatches(glob, text)]).toEqual([glob, text, wildcardMatch(text, glob)]);
    }
    const long = `${'a'.repeat(MAX_WILDCARD_TEXT)}b`;
    expect([globMatches('*b', long), globMatches('a*a', long)]).toEqual([wildcardMatch(long, '*b'), wildcardMatch(long, 'a*a')]);
  });

  it('matches a 1000-character pattern against long values fast enough for a preview over 1000 messages', () => {
    const pattern = `*${'a'.repeat(989)}b*`;
    const value = 'a'.repeat(128 * 1024);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) expect(globMatches(pattern, value)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a glob with more than the most stars for origin queue and header rules', () => {
    const many = `${'a*'.repeat(MAX_GLOB_STARS + 1)}b`;
    expect(matchProblem({ matchKind: 'header', matchKey: 'x-tenant', pattern: many })).toBe(`pattern: a pattern has at most ${MAX_GLOB_STARS} * (this one has ${MAX_GLOB_STARS + 1})`);
    expect(matchProblem({ matchKind: 'origin_queue', pattern: many })).toBe(`pattern: a pattern has at most ${MAX_GLOB_STARS} * (this one has ${MAX_GLOB_STARS + 1})`);
    expect(matchProblem({ matchKind: 'origin_queue', pattern: `${'a*'.repeat(MAX_GLOB_STARS)}b` })).toBeNull();
  });
});

describe('JSON paths', () => {
  it('parses names, quoted names and indexes', () => {
    expect(parseJsonPath('$.a.b[0]')).toEqual(['a', 'b', 0]);
    expect(parseJsonPath(`$['a b']["c.d"][12].e_f-g`)).toEqual(['a b', 'c.d', 12, 'e_f-g']);
  });

  it.each([['a.b'], ['$'], ['$.'], ['$..a'], ['$.a[*]'], ['$.a[-1]'], ['$.a[?(@.x)]'], ['$ .a']])('refuses %s with a sentence', (path) => {
    expect(jsonPathProblem(path)).toEqual(expect.any(String));
  });

  it('reads own properties only', () => {
    const body = JSON.parse('{"a":{"b":[{"c":"x"}]},"__proto__":{"polluted":1}}');
    expect(readJsonPath(body, ['a', 'b', 0, 'c'])).toBe('x');
    expect(readJsonPath(body, ['a', 'b', 1, 'c'])).toBeUndefined();
    expect(readJsonPath(body, ['constructor'])).toBeUndefined();
    expect(readJsonPath(body, ['__proto__', 'polluted'])).toBe(1);
    expect(readJsonPath(body, ['a', 'toString'])).toBeUndefined();
    expect(readJsonPath('text', ['length'])).toBeUndefined();
  });
});

type TMessage = { originQueue: string | null; routingKeys: string[]; deliveryRoutingKey: string; headers: unknown; bodyJson: unknown };
const message = (over: Partial<TMessage> = {}): TMessage => ({
  originQueue: 'billing.invoices', routingKeys: ['invoice.created.eu'], deliveryRoutingKey: 'dlx', headers: {}, bodyJson: null, ...over,
});
const rule = (over: Partial<TRuleLike> & { position?: number }) => ({
  id: 'r', teamId: 't', matchKind: 'origin_queue', matchKey: null, pattern: '*', enabled: true, position: 1, ...over,
});
/** Whether the rule matches the message, the message read for exactly that rule. */
const matches = (r: TRuleLike, m: TMessage) => compileRule(r).matches(subjectOf(m, projectionsOf([r])));

describe('compileRule', () => {
  it('origin queue: a glob', () => {
    expect(matches(rule({ pattern: 'billing.*' }), message())).toBe(true);
    expect(matches(rule({ pattern: 'orders.*' }), message())).toBe(false);
    expect(matches(rule({ pattern: '*' }), message({ originQueue: null }))).toBe(false);
  });

  it('routing key: any of the publish keys, else the dead-letter key', () => {
    expect(matches(rule({ matchKind: 'routing_key', pattern: 'invoice.#' }), message())).toBe(true);
    expect(matches(rule({ matchKind: 'routing_key', pattern: 'dlx' }), message())).toBe(false);
    expect(matches(rule({ matchKind: 'routing_key', pattern: 'dlx' }), message({ routingKeys: [] }))).toBe(true);
  });

  it('header: the exact name, the value exactly or by glob; typed values by their text', () => {
    const headers = { tenant: { type: 'string', value: 'acme-eu' }, retries: { type: 'number', value: 3 }, flag: { type: 'boolean', value: true }, blob: { type: 'bytes', base64: 'AA==' } };
    const h = (matchKey: string, pattern: string) => matches(rule({ matchKind: 'header', matchKey, pattern }), message({ headers }));
    expect(h('tenant', 'acme-eu')).toBe(true);
    expect(h('tenant', 'acme-*')).toBe(true);
    expect(h('tenant', 'acme')).toBe(false);
    expect(h('Tenant', 'acme-eu')).toBe(false);
    expect(h('retries', '3')).toBe(true);
    expect(h('flag', 'true')).toBe(true);
    expect(h('blob', '*')).toBe(false);
    expect(h('missing', '*')).toBe(false);
    expect(h('constructor', '*')).toBe(false);
  });

  it('json path: the exact value; numbers, booleans and null as JSON writes them', () => {
    const bodyJson = { customer: { region: 'eu', tier: 2, vip: false, tags: ['a', 'b'], none: null } };
    const j = (matchKey: string, pattern: string, body: unknown = bodyJson) => matches(rule({ matchKind: 'json_path', matchKey, pattern }), message({ bodyJson: body }));
    expect(j('$.customer.region', 'eu')).toBe(true);
    expect(j('$.customer.region', 'EU')).toBe(false);
    expect(j('$.customer.tier', '2')).toBe(true);
    expect(j('$.customer.vip', 'false')).toBe(true);
    expect(j('$.customer.none', 'null')).toBe(true);
    expect(j('$.customer.tags[1]', 'b')).toBe(true);
    expect(j('$.customer.tags', 'a,b')).toBe(false);
    expect(j('$.customer.region', 'eu', null)).toBe(false);
  });
});

describe('findOwningRule', () => {
  it('takes the first enabled rule in position order', () => {
    const rules = compileRules([
      rule({ id: 'late', teamId: 'b', position: 3, pattern: '*' }),
      rule({ id: 'off', teamId: 'c', position: 1, pattern: '*', enabled: false }),
      rule({ id: 'first', teamId: 'a', position: 2, pattern: 'billing.*' }),
    ]);
    const p = projectionsOf(rules.map((c) => c.rule));
    expect(findOwningRule(rules, subjectOf(message(), p))?.id).toBe('first');
    expect(findOwningRule(rules, subjectOf(message({ originQueue: 'orders' }), p))?.id).toBe('late');
    expect(findOwningRule(compileRules([rule({ pattern: 'x' })]), subjectOf(message(), p))).toBeNull();
  });
});

describe('matchProblem', () => {
  it('asks for the key a kind needs and refuses a key a kind does not take', () => {
    expect(matchProblem({ matchKind: 'header', matchKey: null, pattern: 'x' })).toMatch(/header name/);
    expect(matchProblem({ matchKind: 'json_path', matchKey: 'a.b', pattern: 'x' })).toMatch(/starts with \$/);
    expect(matchProblem({ matchKind: 'origin_queue', matchKey: 'h', pattern: 'x' })).toMatch(/takes no matchKey/);
    expect(matchProblem({ matchKind: 'routing_key', matchKey: null, pattern: 'a..b' })).toMatch(/empty words/);
    expect(matchProblem({ matchKind: 'json_path', matchKey: '$.a', pattern: 'x' })).toBeNull();
  });
});

describe('toSqlJsonPath', () => {
  it('writes a strict SQL/JSON path with every name quoted', () => {
    expect(toSqlJsonPath('$.a.b[0]')).toBe('strict $."a"."b"[0]');
    expect(toSqlJsonPath(`$['a "b"'][2]`)).toBe('strict $."a \\"b\\""[2]');
  });
});
