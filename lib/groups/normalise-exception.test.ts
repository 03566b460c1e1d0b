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

describe('ids that mix letters and digits, addresses, numbers ending a sentence', () => {
  it('puts the same failure about different ids, hosts and positions in one group', () => {
    expect(n('Customer cus_4410 not found for order ord_10423'))
      .toBe(n('Customer cus_8812 not found for order ord_10421'));
    expect(n('The tax service at 10.20.0.13:8443 did not answer within 30000 ms (invoice inv_10424)'))
      .toBe(n('The tax service at 10.20.0.10:8443 did not answer within 30000 ms (invoice inv_10421)'));
    expect(n("'R' is an invalid start of a value. Path: $ | LineNumber: 0 | BytePositionInLine: 1."))
      .toBe(n("'R' is an invalid start of a value. Path: $ | LineNumber: 0 | BytePositionInLine: 0."));
    expect(n('Order ord_10424 line 1: quantity 3 is not allowed for BOTTLE-STL-750'))
      .toBe('Order <id> line <n>: quantity <n> is not allowed for <id>');
  });

  it('keeps words, exception names and status codes', () => {
    expect(n('upstream answered status 503 Service Unavailable')).toBe('upstream answered status 503 Service Unavailable');
    expect(n('NullReferenceException in OrderHandler')).toBe('NullReferenceException in OrderHandler');
  });

  it('reads a long run of word characters once', () => {
    const started = performance.now();
    n(`${'a1_'.repeat(700)}!`);
    n(`${'1.'.repeat(1000)}x`);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
