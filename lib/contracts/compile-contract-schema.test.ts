import { describe, expect, it } from 'vitest';
import { compileContractSchema, toViolations } from './compile-contract-schema';

function violations(schema: Record<string, unknown>, value: unknown) {
  const validate = compileContractSchema(schema);
  return validate(value) ? [] : toViolations(validate.errors ?? []);
}

describe('compileContractSchema', () => {
  it.each([
    ['a wrong type for "type"', { type: 'objekt' }, /The JSON Schema is not valid: schema is invalid: data\/type must be equal to one of the allowed values/],
    ['"required" that is not a list', { type: 'object', required: 'id' }, /schema is invalid: data\/required must be array/],
    ['a $ref to nowhere', { $ref: '#/definitions/missing' }, /can't resolve reference #\/definitions\/missing/],
    ['an unknown dialect', { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object' }, /draft-07 and 2020-12 are supported/],
    ['an async schema', { $async: true, type: 'object' }, /"\$async" schemas are not supported/],
  ])('refuses %s with a 400 that says why', (_, schema, message) => {
    expect(() => compileContractSchema(schema)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) }));
  });

  it('reads draft-07 by default and 2020-12 when $schema says so', () => {
    // "prefixItems" is a 2020-12 keyword; draft-07 (not strict) ignores it.
    const tuple = { type: 'array', prefixItems: [{ type: 'string' }] };
    expect(violations(tuple, [1])).toEqual([]);
    expect(violations({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...tuple }, [1])).toEqual([{ path: '/0', message: 'must be string' }]);
    expect(violations({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' }, 1)).toEqual([{ path: '', message: 'must be string' }]);
  });

  it('compiles two schemas with the same $id (each in its own instance)', () => {
    expect(() => {
      compileContractSchema({ $id: 'https://example.com/order', type: 'object' });
      compileContractSchema({ $id: 'https://example.com/order', type: 'string' });
    }).not.toThrow();
  });
});

describe('toViolations', () => {
  const schema = {
    type: 'object',
    required: ['customer', 'lines'],
    properties: {
      customer: { type: 'object', required: ['id'], properties: { id: { type: 'string' } }, additionalProperties: false },
      lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer', minimum: 1 } } } },
      'a/b~c': { type: 'object', required: ['x/y'] },
    },
  };

  it('names a missing or unexpected property in the path, and reports every field', () => {
    expect(violations(schema, { customer: { customerId: 'c-1' }, lines: [{ qty: 2 }, { qty: 0 }, { qty: 'one' }], 'a/b~c': {} })).toEqual([
      { path: '/customer/id', message: "must have required property 'id'" },
      { path: '/customer/customerId', message: 'must NOT have additional properties' },
      { path: '/lines/1/qty', message: 'must be >= 1' },
      { path: '/lines/2/qty', message: 'must be integer' },
      { path: '/a~1b~0c/x~1y', message: "must have required property 'x/y'" },
    ]);
    expect(violations(schema, {})).toEqual([
      { path: '/customer', message: "must have required property 'customer'" },
      { path: '/lines', message: "must have required property 'lines'" },
    ]);
  });
});
