import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
// With the extension: ajv has no exports map, and Node's own ESM loader does not guess one.
import Ajv2020 from 'ajv/dist/2020.js';
import { AppError } from '../errors';
import type { TContractViolation } from './contract-dto';

// One Ajv instance per schema: Ajv keeps every schema it compiled (and refuses a second
// schema with the same $id), so a shared instance would grow with every contract change.

const OPTIONS = { allErrors: true, strict: false, logger: false } as const;

/** Compiles a JSON Schema (draft-07, or 2020-12 when $schema says so); an invalid one is a 400 that says why. */
export function compileContractSchema(schema: Record<string, unknown>): ValidateFunction {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  const ajv = dialect.includes('2020-12') ? new Ajv2020(OPTIONS) : new Ajv(OPTIONS);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    const hint = dialect && !/draft-07|2020-12/.test(dialect) ? ' (draft-07 and 2020-12 are supported)' : '';
    throw new AppError('INVALID_INPUT', `The JSON Schema is not valid: ${(error as Error).message}${hint}`);
  }
  // An async schema's validator answers a promise, which would pass every body.
  if ((validate as { $async?: boolean }).$async) throw new AppError('INVALID_INPUT', 'The JSON Schema is not valid: "$async" schemas are not supported');
  return validate;
}

const MAX_VIOLATIONS = 50;

/** Ajv's errors, field by field: a missing or unexpected property is named in the path. */
export function toViolations(errors: readonly ErrorObject[]): TContractViolation[] {
  return errors.slice(0, MAX_VIOLATIONS).map((e) => {
    const params = e.params as { missingProperty?: string; additionalProperty?: string; unevaluatedProperty?: string };
    const property = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty;
    return {
      path: property === undefined ? e.instancePath : `${e.instancePath}/${property.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      message: e.message ?? `fails "${e.keyword}"`,
    };
  });
}
