import { describe, expect, it } from 'vitest';
import { parsePathFilter, pathFilterProblem, toJsonPath } from './parse-json-path-filter';

const jsonPath = (s: string) => toJsonPath(parsePathFilter(s));

describe('parsePathFilter', () => {
  it('writes comparisons as strict jsonpath with every key and string quoted', () => {
    expect(jsonPath('$.customer.id = "42"')).toBe('strict $."customer"."id" == "42"');
    expect(jsonPath('$.order.amount>=10.5')).toBe('strict $."order"."amount" >= 10.5');
    expect(jsonPath('$.items[*].sku == "A-1"')).toBe('strict $."items"[*]."sku" == "A-1"');
    expect(jsonPath('$.items[0]["odd key"] != null')).toBe('strict $."items"[0]."odd key" != null');
    expect(jsonPath('$.flag = true')).toBe('strict $."flag" == true');
    expect(jsonPath('$.n < -1e3')).toBe('strict $."n" < -1e3');
    expect(jsonPath('$.big = 12345678901234567890')).toBe('strict $."big" == 12345678901234567890');
  });

  it('reads a bare path as "exists"', () => {
    expect(parsePathFilter('$.customer.id')).toEqual({ steps: [{ kind: 'key', key: 'customer' }, { kind: 'key', key: 'id' }], compare: null });
    expect(jsonPath(' $.a[2] ')).toBe('strict $."a"[2]');
  });

  it('keeps hostile keys and strings inside their quotes', () => {
    expect(jsonPath('$["a\\" || true || \\""] = "x\\" || $.b == \\"y"')).toBe(
      'strict $."a\\" || true || \\"" == "x\\" || $.b == \\"y"',
    );
    expect(jsonPath('$.a = "\\\\ \\n é ☃ 😀"')).toBe('strict $."a" == "\\\\ \\n é ☃ 😀"');
    expect(parsePathFilter('$.a = "\\u00e9"').compare?.value).toBe('é');
  });

  it.each([
    ['customer.id = "1"', 'a path starts with "$" (e.g. $.customer.id = "42") (at character 1)'],
    ['$', 'a path names at least one field, e.g. $.customer.id (at character 2)'],
    ['$.', 'expected a field name after "." (use ["..."] for other names) (at character 3)'],
    ['$.a..b', 'expected a field name after "." (use ["..."] for other names) (at character 5)'],
    ['$.a[', 'expected ["name"], [index] or [*] after "[" (at character 5)'],
    ['$.a[01]', 'an array index has no leading zeros (at character 5)'],
    ['$.a[1', 'expected "]" (at character 6)'],
    ['$.a[-1]', 'expected ["name"], [index] or [*] after "[" (at character 5)'],
    ['$["a]', 'a field name in double quotes is not closed or has a bad escape (JSON string rules) (at character 3)'],
    ['$.a ~ 1', 'expected an operator (= == != < <= > >=) after the path, found "~" (at character 5)'],
    ['$.a =', 'a value is missing after the operator (at character 6)'],
    ["$.a = 'x'", 'strings take double quotes, e.g. "42" (at character 7)'],
    ['$.a = x', 'the value must be a JSON literal: "text", a number, true, false or null (at character 7)'],
    ['$.a = "x" || true', 'nothing may follow the value (one comparison per filter) (at character 10)'],
    ['$.a = 01', 'the value must be a JSON literal: "text", a number, true, false or null (at character 7)'],
    ['$.a = 1e9999', 'the value must be a JSON literal: "text", a number, true, false or null (at character 7)'],
    ['$.a = "\\u0000"', 'a string value cannot contain U+0000 (at character 7)'],
    ['$.a = "\\ud800"', 'a string value is not valid Unicode (at character 7)'],
    ['$.a = "\\x41"', 'a string value in double quotes is not closed or has a bad escape (JSON string rules) (at character 7)'],
    ['$.a > true', '> compares numbers or strings, not true (at character 7)'],
    ['$.a = "x\u0001"', 'control characters are not allowed (at character 9)'],
    [`$${'.a'.repeat(17)}`, 'a path has at most 16 steps (at character 36)'],
    [`$.a = "${'x'.repeat(300)}"`, 'a filter is at most 300 characters (at character 301)'],
  ])('refuses %j', (input, problem) => {
    expect(pathFilterProblem(input)).toBe(problem);
  });
});
