import { describe, expect, it } from 'vitest';
import { describeJsonError } from './edit-message';
import { isJsonContentType } from './is-json-content-type';

describe('describeJsonError', () => {
  it('is null for valid JSON', () => expect(describeJsonError('{"a":[1,2]}')).toBeNull());
  it('names the line and column of the problem', () => {
    expect(describeJsonError('{\n  "a": 1,\n}')).toMatch(/line 3, column 1$/);
    expect(describeJsonError('{"a": tru}')).toMatch(/line 1, column \d+$/);
  });
  it('reports empty input', () => expect(describeJsonError('')).toMatch(/Unexpected end of JSON input/));
});

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true], ['Application/JSON; charset=utf-8', true], ['application/vnd.api+json', true], ['text/json', true],
    ['text/plain', false], ['application/jsonp', false], [null, false], ['', false], ['application/x-protobuf', false],
  ])('%s → %s', (type, expected) => expect(isJsonContentType(type)).toBe(expected));
});
