import { describe, expect, it } from 'vitest';
import { describeJsonProblem, findJsonProblem, formatJsonText } from './json-text';

describe('findJsonProblem', () => {
  it('accepts JSON of every kind', () => {
    for (const text of ['{}', '[]', '"x"', '1', '-0.5e3', 'true', 'null', ' {"a": [1, {"b": "\\u00e9\\n"}]} \n']) expect(findJsonProblem(text), text).toBeNull();
  });

  it('points at the line and column of the mistake', () => {
    expect(findJsonProblem('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ line: 3, column: 3, message: 'Unexpected "\\""; expected "," or "}" after a property value' });
    expect(findJsonProblem('{\n  "a": 1,\n}')).toMatchObject({ line: 3, column: 1, message: 'Trailing comma before }' });
    expect(findJsonProblem('[1, 2,]')).toMatchObject({ line: 1, column: 7 });
    expect(findJsonProblem("{'a': 1}")).toMatchObject({ column: 2, message: 'Unexpected "\'"; expected a property name in double quotes' });
    expect(findJsonProblem('{"a": tru}')).toMatchObject({ column: 7, message: 'Unexpected "t"; expected a value' });
    expect(findJsonProblem('{"a": 1} x')).toMatchObject({ column: 10 });
    expect(findJsonProblem('{"a": "b')).toMatchObject({ column: 7, message: 'Unterminated string' });
    expect(findJsonProblem('')).toMatchObject({ line: 1, column: 1, message: 'Unexpected end of text; expected a value' });
    expect(findJsonProblem('{"a":\r\n 01}')).toMatchObject({ line: 2, column: 3 });
  });

  it('counts columns in characters, not UTF-16 units', () => {
    expect(findJsonProblem('{"😀😀": x}')).toMatchObject({ line: 1, column: 8, offset: 9 });
  });

  it('says it in one sentence', () => {
    expect(describeJsonProblem(findJsonProblem('{,}')!)).toBe('Invalid JSON at line 1, column 2: Unexpected ","; expected a property name in double quotes');
  });
});

describe('formatJsonText', () => {
  it('pretty-prints and keeps numbers and escapes exactly', () => {
    const text = '{"id":12345678901234567890,"price":1.10,"s":"a\\"b\\u00e9 , : {","e":{},"l":[ ],"n":[1,[2]]}';
    expect(formatJsonText(text)).toBe(
      '{\n  "id": 12345678901234567890,\n  "price": 1.10,\n  "s": "a\\"b\\u00e9 , : {",\n  "e": {},\n  "l": [],\n  "n": [\n    1,\n    [\n      2\n    ]\n  ]\n}',
    );
    expect(formatJsonText(formatJsonText(text))).toBe(formatJsonText(text));
    expect(JSON.parse(formatJsonText(text))).toEqual(JSON.parse(text));
  });
});
