import { describe, expect, it } from 'vitest';
import { escapeLike, messageWhere } from './message-where';

describe('messageWhere', () => {
  it('matches search text literally', () => {
    expect(escapeLike('a_b%c\\d')).toBe('a\\_b\\%c\\\\d');
    expect(messageWhere({ q: '50%_off' }).searchText).toEqual({ contains: '50\\%\\_off', mode: 'insensitive' });
  });

  it('leaves out filters that are not set', () => {
    expect(messageWhere({})).toEqual({
      sourceQueue: undefined, originQueue: undefined, reason: undefined, status: undefined, searchText: undefined, ingestedAt: undefined,
    });
  });
});
