import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';

const LIMIT = 500;

/** Queues and exchanges the console has seen, for the replay target pickers (suggestions, not a limit). */
export async function listDestinations({ actor }: { actor: TActor }): Promise<{ queues: string[]; exchanges: string[] }> {
  requirePermission(actor, 'messages:read');
  const [queues, exchanges] = await Promise.all([
    prisma().$queryRaw<{ name: string }[]>`
      SELECT name FROM (
        SELECT DISTINCT origin_queue AS name FROM messages WHERE origin_queue IS NOT NULL
        UNION SELECT queue FROM sources
        UNION SELECT queue FROM teams WHERE queue IS NOT NULL) q
      ORDER BY name LIMIT ${LIMIT}`,
    prisma().$queryRaw<{ name: string }[]>`
      SELECT name FROM (
        SELECT DISTINCT exchange AS name FROM messages WHERE exchange IS NOT NULL AND exchange <> ''
        UNION SELECT exchange FROM teams WHERE exchange IS NOT NULL) e
      ORDER BY name LIMIT ${LIMIT}`,
  ]);
  return { queues: queues.map((q) => q.name), exchanges: exchanges.map((e) => e.name) };
}
