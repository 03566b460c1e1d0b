import { prisma } from '../db/prisma';
import type { Prisma } from '../db/generated/client';

/**
 * Commits one batch of dead letters. Returns how many were new; the rest were
 * redeliveries of rows already committed (same source and fingerprint).
 * Rows are sorted by fingerprint so two workers inserting overlapping batches take
 * their row locks in the same order and cannot deadlock.
 */
export async function storeDeadLetters(rows: Prisma.MessageCreateManyInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const sorted = [...rows].sort((a, b) => Buffer.compare(Buffer.from(a.fingerprint), Buffer.from(b.fingerprint)));
  const { count } = await prisma().message.createMany({ data: sorted, skipDuplicates: true });
  return count;
}
