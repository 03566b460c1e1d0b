import type { z } from 'zod';
import { AppError } from '../errors';

/** Parses URL search parameters; an unknown or invalid one is a 400 that names it. */
export function parseSearchParams<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (Object.hasOwn(raw, key)) throw new AppError('INVALID_INPUT', `Query parameter "${key}" is given more than once`);
    // defineProperty: a parameter named "__proto__" is data, and zod reports it as unknown.
    Object.defineProperty(raw, key, { value, enumerable: true, writable: true, configurable: true });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      throw new AppError('INVALID_INPUT', `Unknown query parameter "${issue.keys.join('", "')}"`);
    }
    throw new AppError('INVALID_INPUT', `Invalid query parameter "${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}
