import { describe, expect, it } from 'vitest';
import { MAX_EXCEPTION_MESSAGE, normaliseExceptionMessage as n } from './normalise-exception';

describe('normaliseExceptionMessage', () => {
  it.each([
    ['Order 812 not found for 5F0C1E2A-8D1B-4C3E-9F00-123456789ABC', 'Order <n> not found for <uuid>'],
    ['at 2026-11-29T10:11:12.345+01:00 and 2026-11-29 and 10:11:12', 'at <ts> and <ts> and <ts>'],
    ['mail to bob.smith+x@mail.example.co.uk failed', 'mail to <email> failed'],
    ['value \'abc\' and "def" and `ghi`', 'value <str> and <str> and <str>'],
    ['id 0x7ffe and 9f86d081884c7d65', 'id <hex> and <hex>'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ expired', 'token <token> expired'],
    ['HTTP 503 Service Unavailable on port 8080', 'HTTP 503 Service Unavailable on port <n>'],
    ['status code 404; retry 3 of 5; 1.5s', 'status code 404; retry <n> of <n>; 1.5s'],
    ['  spaces\n\tand\r\nlines  ', 'spaces and lines'],
    ['accepted deadbeef words stay; v2 too', 'accepted deadbeef words stay; v2 too'],
  ])('%s', (input, expected) => expect(n(input)).toBe(expected));

  it('caps the length and keeps empty as null', () => {
    expect(n('x '.repeat(5000))!.length).toBe(MAX_EXCEPTION_MESSAGE);
    expect(n('')).toBeNull();
    expect(n('   ')).toBeNull();
    expect(n(null)).toBeNull();
  });
});
