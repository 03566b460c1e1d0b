import { describe, expect, it } from 'vitest';
import { jsonNestingDepth } from './json-depth';

describe('jsonNestingDepth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonNestingDepth('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(jsonNestingDepth('"\\"[["')).toBe(0);
    expect(jsonNestingDepth(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toBe(10_000);
  });
});
