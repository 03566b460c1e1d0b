import { describe, expect, it } from 'vitest';
import { ZFindMessagesQuery } from '../messages/message-dto';
import { parseSearchParams } from './parse-search-params';

const parse = (query: string) => parseSearchParams(ZFindMessagesQuery, new URLSearchParams(query));

describe('parseSearchParams', () => {
  it('parses known parameters with defaults', () => {
    expect(parse('reason=expired&limit=5')).toMatchObject({ reason: 'expired', limit: 5 });
    expect(parse('')).toMatchObject({ limit: 50 });
  });

  it('names an unknown parameter, including names that are Object.prototype members', () => {
    for (const name of ['colour', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(() => parse(`${name}=x`), name).toThrow(`Unknown query parameter "${name}"`);
    }
  });

  it('refuses a parameter given twice', () => {
    expect(() => parse('reason=expired&reason=rejected')).toThrow('Query parameter "reason" is given more than once');
  });

  it('names the invalid parameter and says why', () => {
    expect(() => parse('limit=0')).toThrow(/Invalid query parameter "limit": must be at least 1/);
    expect(() => parse('q=a%00bc')).toThrow(/"q": must not contain control characters/);
    expect(() => parse('from=March 7')).toThrow(/"from": must be an ISO 8601 date/);
  });
});
