import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { env } from '../env';
import { AppError } from '../errors';
import { resolveMessageSearch } from '../messages/message-where';
import { requireMessagesInScope } from '../approvals/require-messages-in-scope';
import { scopeMessageWhere } from '../permissions/team-scope';
import type { TJobSelection } from './job-input';

// The exact messages a job acts on, decided once: the ids matching the filters, within the
// caller's scope, up to the highest id the operator saw in the dry run (maxId), in id
// order. Messages that arrive later are never part of it. Named ids must all exist and be
// in scope, or nothing happens (404 naming the missing ones).

export type TFrozenSelection = { ids: bigint[]; maxId: bigint | null };

export async function freezeSelection(
  db: Prisma.TransactionClient,
  { actor, selection, allowEmpty = false }: { actor: TActor; selection: TJobSelection; allowEmpty?: boolean },
): Promise<TFrozenSelection> {
  const max = env().DLQ_JOB_MAX_MESSAGES;
  let ids: bigint[];
  if ('ids' in selection) {
    if (selection.ids.length > max) throw tooMany(selection.ids.length, max);
    ids = selection.ids.map((id) => BigInt(id));
    await requireMessagesInScope(db, actor, ids);
    ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } else {
    // A search resolves to ids first: as the caller (redaction and scope apply to what it
    // may search), up to the most a job may hold, below the dry run's highest id.
    const beforeId = selection.maxId !== undefined ? BigInt(selection.maxId) + 1n : undefined;
    const search = await resolveMessageSearch(selection.filters, { actor, maxIds: max, beforeId });
    if (search.capped) throw tooMany(`more than ${max}`, max);
    const where: Prisma.MessageWhereInput = {
      AND: [
        search.where,
        scopeMessageWhere(actor),
        selection.maxId !== undefined ? { id: { lte: BigInt(selection.maxId) } } : {},
      ],
    };
    const rows = await db.message.findMany({ where, select: { id: true }, orderBy: { id: 'asc' }, take: max + 1 });
    if (rows.length > max) throw tooMany(await db.message.count({ where }), max);
    ids = rows.map((r) => r.id);
    if (selection.expectedCount !== undefined && selection.expectedCount !== ids.length) {
      throw new AppError(
        'CONFLICT',
        `The selection changed since you looked: ${ids.length} message${ids.length === 1 ? '' : 's'} match now, you saw ${selection.expectedCount}. Run the dry run again and confirm the new count.`,
        { expectedCount: selection.expectedCount, actualCount: ids.length },
      );
    }
  }
  if (ids.length === 0 && !allowEmpty) throw new AppError('INVALID_INPUT', 'No message matches this selection; a job needs at least one');
  return { ids, maxId: ids[ids.length - 1] ?? null };
}

function tooMany(count: number | string, max: number) {
  return new AppError('INVALID_INPUT', `This selection holds ${count} messages; a job may hold at most ${max} (DLQ_JOB_MAX_MESSAGES). Narrow the filters.`, { count, max });
}
