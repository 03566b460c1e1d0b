import type { z } from 'zod';
import { AppError } from '../errors';

/** C0 controls and DEL: refused in names and filters so they always print and log cleanly. */
export function hasControlCharacters(s: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(s);
}

/** Parses domain input; a failure is an INVALID_INPUT AppError listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('INVALID_INPUT', parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}
