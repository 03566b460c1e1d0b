import { prisma } from '../../lib/db/prisma';

/**
 * Deletes what a throughput measure stored, once its figure is taken. The worker's
 * background tasks (grouping, ownership tagging) would otherwise work through those rows
 * during the later measures and become part of their figures.
 */
export async function forgetMessages(sourceQueues: string[]) {
  if (sourceQueues.length === 0) return;
  await prisma().$executeRaw`DELETE FROM messages WHERE source_queue = ANY(${sourceQueues}::text[])`;
}
