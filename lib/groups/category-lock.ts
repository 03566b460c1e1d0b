import type { PoolClient } from 'pg';
import type { Prisma } from '../db/generated/client';

// A new group takes its category from the rules as the classifier read them. A rule change
// recomputes every group's category; were a classifier step to read the old rules and
// insert its group after that recomputation, the group would keep a stale category. So a
// classifier step holds this lock shared, and a rule change holds it exclusively.

const CATEGORY_LOCK_KEY = 0x646c71_67726f7570n; // "dlq" "group"

export async function holdCategoryLockShared(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [CATEGORY_LOCK_KEY.toString()]);
}

export async function holdCategoryLock(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CATEGORY_LOCK_KEY}::bigint)`;
}
