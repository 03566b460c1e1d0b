import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { isMessageInScope, scopeOf } from '../permissions/team-scope';

export type TScopedRow = { id: bigint; sourceQueue: string; originQueue: string | null; ownerTeamId: string | null };

const LISTED = 20;

/**
 * Every message exists and the actor's teams reach it, or a 404 that lists the first ids
 * that do not (out of scope reads as missing, as it does for one message) and changes nothing.
 */
export async function requireMessagesInScope(db: Prisma.TransactionClient, actor: TActor, ids: readonly bigint[]): Promise<TScopedRow[]> {
  const rows = await db.$queryRaw<TScopedRow[]>`
    SELECT id, source_queue AS "sourceQueue", origin_queue AS "originQueue", owner_team_id::text AS "ownerTeamId"
    FROM messages WHERE id = ANY(${[...ids]}::bigint[])`;
  const reached = new Set(rows.filter((r) => isMessageInScope(actor, r)).map((r) => r.id));
  const missing = ids.filter((id) => !reached.has(id));
  if (missing.length > 0) {
    const listed = missing.slice(0, LISTED).map(String);
    const more = missing.length > LISTED ? ` and ${missing.length - LISTED} more` : '';
    throw new AppError('NOT_FOUND', `No message with id ${listed.join(', ')}${more}`, { missing: listed, missingCount: missing.length });
  }
  return rows;
}

/** Whether every stored message of the list is one the actor's teams reach (messages deleted since are not asked about). */
export async function areMessagesInScope(db: Prisma.TransactionClient, actor: TActor, ids: readonly bigint[]): Promise<boolean> {
  if (!scopeOf(actor)) return true;
  const rows = await db.$queryRaw<TScopedRow[]>`
    SELECT id, source_queue AS "sourceQueue", origin_queue AS "originQueue", owner_team_id::text AS "ownerTeamId"
    FROM messages WHERE id = ANY(${[...ids]}::bigint[])`;
  return rows.every((r) => isMessageInScope(actor, r));
}
