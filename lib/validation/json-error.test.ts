import { describe, expect, it } from 'vitest';
import { findJsonError } from './json-error';

describe('findJsonError', () => {
  it.each(['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', ' 1 ', '"x"', '{"a":{"b":[[],[{}]]}}'])('accepts %s', (text) => {
    expect(findJsonError(text)).toBeNull();
  });

  it.each([
    ['{\n  "a": 1,\n}', 3, 1],
    ['{"a": tru}', 1, 7],
    ['[1, 2', 1, 6],
    ['', 1, 1],
    ['{"a" 1}', 1, 6],
    ['{"a":1} x', 1, 9],
    ['["\u0001"]', 1, 3],
    ['{\'a\':1}', 1, 2],
    ['[1,]', 1, 4],
    ['{"a":01}', 1, 7],
  ])('finds the problem in %j at line %i, column %i', (text, line, column) => {
    const error = findJsonError(text);
    expect(error).toMatchObject({ line, column });
    expect(error!.message).toMatch(new RegExp(`at line ${line}, column ${column}$`));
  });

  it('does not overflow on deep nesting', () => {
    expect(findJsonError('['.repeat(100_000))).toMatchObject({ line: 1 });
  });
});
