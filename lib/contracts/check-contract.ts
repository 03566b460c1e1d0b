import type { ValidateFunction } from 'ajv';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { compileContractSchema, toViolations } from './compile-contract-schema';
import type { TContractViolation } from './contract-dto';

// Compiled validators by origin, valid while the contract's updatedAt is the same: a cache
// of content (set-contract.ts makes updatedAt strictly increase), so replicas cannot
// disagree for longer than one lookup. Bounded by the number of contracts.
const compiled = new Map<string, { updatedAt: number; validate: ValidateFunction }>();

async function findValidator(originQueue: string): Promise<ValidateFunction | null> {
  const current = await prisma().contract.findUnique({ where: { originQueue }, select: { updatedAt: true } });
  if (!current) {
    compiled.delete(originQueue);
    return null;
  }
  const cached = compiled.get(originQueue);
  if (cached?.updatedAt === current.updatedAt.getTime()) return cached.validate;
  const row = await prisma().contract.findUnique({ where: { originQueue } });
  if (!row) return null; // removed since the first look
  let validate: ValidateFunction;
  try {
    validate = compileContractSchema(row.schema as Record<string, unknown>);
  } catch (error) {
    // It compiled when it was set: only a change of validator could make it fail now.
    throw new AppError('INTERNAL', `The stored contract of ${originQueue} no longer compiles (${(error as Error).message}); set it again`);
  }
  compiled.set(originQueue, { updatedAt: row.updatedAt.getTime(), validate });
  return validate;
}

/** The ways a body breaks its origin's contract; null when the origin has no contract (or is unknown). */
export async function checkContract({ originQueue, body }: { originQueue: string | null; body: Uint8Array }): Promise<{ contract: string; violations: TContractViolation[] } | null> {
  if (originQueue === null) return null;
  const validate = await findValidator(originQueue);
  if (!validate) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    const why = error instanceof SyntaxError ? error.message : 'it is not valid UTF-8';
    return { contract: originQueue, violations: [{ path: '', message: `body is not JSON: ${why}` }] };
  }
  return { contract: originQueue, violations: validate(value) ? [] : toViolations(validate.errors ?? []) };
}

/**
 * Refuses a body that breaks the contract of the queue it would be replayed to: an
 * INVALID_INPUT whose details are `{ contract, violations: [{ path, message }] }`.
 * No contract (or no origin): nothing to check.
 */
export async function assertContract({ originQueue, body }: { originQueue: string | null; body: Uint8Array }): Promise<void> {
  const result = await checkContract({ originQueue, body });
  if (!result || result.violations.length === 0) return;
  const { contract, violations } = result;
  const shown = violations.slice(0, 3).map((v) => (v.path ? `${v.path} ${v.message}` : v.message));
  const more = violations.length > shown.length ? ` (and ${violations.length - shown.length} more)` : '';
  throw new AppError('INVALID_INPUT', `The body breaks the contract of ${contract}: ${shown.join('; ')}${more}`, { contract, violations });
}
