import type { Prisma } from '../db/generated/client';

/**
 * Rule changes take turns: positions stay 1..n without gaps or twins only if no two
 * changes renumber at once. A transaction-scoped advisory lock, released at commit.
 */
export async function lockOwnershipRules(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('dlq.ownership_rules'))`;
}
