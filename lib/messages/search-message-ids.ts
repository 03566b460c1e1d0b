import { prisma } from '../db/prisma';
import { env } from '../env';
import { AppError } from '../errors';
import type { TMessageFilters } from './message-dto';
import { buildSearchSql, type TSearchSqlOptions } from './search-sql';

// The search runs in a read-only transaction of its own with a statement timeout
// (DLQ_SEARCH_TIMEOUT_MS): whatever the text, it never holds a connection for longer, and a
// search the indexes cannot narrow enough ends as a 400 that says how to narrow it.

const QUERY_CANCELED = '57014';

export const SEARCH_TOO_SLOW = 'Search took too long; narrow it with a source, origin or time range';

/** Ids of the messages matching the filters (q and path included), newest first, at most options.limit. */
export async function searchMessageIds(f: TMessageFilters, options: TSearchSqlOptions): Promise<bigint[]> {
  const { text, values } = buildSearchSql(f, options);
  const client = await prisma().pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(env().DLQ_SEARCH_TIMEOUT_MS)]);
    const result = await client.query<{ id: string }>(text, values);
    await client.query('COMMIT');
    return result.rows.map((r) => BigInt(r.id));
  } catch (error) {
    await client.query('ROLLBACK').catch(() => { broken = true; });
    const code = (error as { code?: unknown }).code;
    if (code === QUERY_CANCELED) throw new AppError('INVALID_INPUT', SEARCH_TOO_SLOW);
    // Data exceptions (class 22) come from the text searched for, not from the server.
    if (typeof code === 'string' && code.startsWith('22')) {
      throw new AppError('INVALID_INPUT', `Search could not run: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
