import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../redaction/json-path';
import { parsePathFilter } from './parse-json-path-filter';
import { assertPathFilterAllowed, reachesMaskedField } from './search-redaction';

const reaches = (filter: string, rule: string) => reachesMaskedField(parsePathFilter(filter).steps, parseJsonPath(rule));

describe('reachesMaskedField', () => {
  it('is true at a masked field and anywhere inside one', () => {
    expect(reaches('$.card.number = "4111"', '$.card.number')).toBe(true);
    expect(reaches('$.card.number.last4', '$.card.number')).toBe(true);
    expect(reaches('$.card.number = "x"', '$.card')).toBe(true);
    expect(reaches('$.a.b.card = 1', '$..card')).toBe(true);
    expect(reaches('$.items[*].pan = "1"', '$.items[3].pan')).toBe(true);
    expect(reaches('$.items[2].pan = "1"', '$.items[*].pan')).toBe(true);
    expect(reaches('$.anything = 1', '$.*')).toBe(true);
    expect(reaches('$.x[0]', '$..*')).toBe(true);
  });

  it('is false beside a masked field and above one', () => {
    expect(reaches('$.card.brand = "visa"', '$.card.number')).toBe(false);
    expect(reaches('$.card != null', '$.card.number')).toBe(false);
    expect(reaches('$.items[2].pan = "1"', '$.items[3].pan')).toBe(false);
    expect(reaches('$["0"] = 1', '$[0]')).toBe(false);
    expect(reaches('$.customer.id = "42"', '$..number')).toBe(false);
  });
});

describe('assertPathFilterAllowed', () => {
  const rules = [{ kind: 'header', pattern: 'authorization' }, { kind: 'json_path', pattern: '$..card' }];

  it('refuses a filter on a masked field, naming the rule and the permission', () => {
    expect(() => assertPathFilterAllowed('$.payment.card.number = "4111"', rules)).toThrow(
      'The JSON path filter $.payment.card.number reads a field that redaction rule $..card masks for you; filtering on it needs the messages:read-sensitive permission',
    );
  });

  it('lets other filters through', () => {
    expect(() => assertPathFilterAllowed('$.customer.id = "42"', rules)).not.toThrow();
  });
});
