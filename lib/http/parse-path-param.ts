import type { z } from 'zod';
import { AppError } from '../errors';

/**
 * Checks a path parameter (a queue name, decoded by Next.js) against a schema and returns it
 * as it came: a name that could never have been stored is a 400 that says why, before a
 * query sees it (PostgreSQL refuses a NUL in text with an error, not a "no such row"). The
 * value is not transformed (trimmed), so a lookup never finds another row than the one named.
 */
export function parsePathParam(name: string, schema: z.ZodType, value: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `Invalid path parameter "${name}": ${parsed.error.issues[0]!.message}`);
  return value;
}
