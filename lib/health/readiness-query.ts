import { z } from 'zod';
import { READINESS_CHECKS, type TReadinessCheck } from './check-readiness';

// GET /api/v1/health/ready?checks=database,migrations: which checks to run. Absent means all
// four; a name that is not a check, or an empty list or item, is refused naming it.

const ZChecks = z.string().transform((raw, ctx): TReadinessCheck[] => {
  const names = raw.split(',').map((name) => name.trim());
  const bad = names.find((name) => !(READINESS_CHECKS as readonly string[]).includes(name));
  if (bad !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `${bad === '' ? 'an empty check name' : `"${bad.slice(0, 40)}" is not a check`}; name one or more of ${READINESS_CHECKS.join(', ')}, comma-separated`,
    });
    return z.NEVER;
  }
  return READINESS_CHECKS.filter((name) => names.includes(name));
});

export const ZReadinessQuery = z.strictObject({ checks: ZChecks.optional() });
export type TReadinessQuery = z.output<typeof ZReadinessQuery>;
