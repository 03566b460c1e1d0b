import { prisma } from '../db/prisma';

// Who is executing an approved request right now. A session advisory lock, on a connection
// of its own for as long as the execution runs: a second approve waits for nothing and is
// told, and a process that dies mid-way drops its connection and with it the lock, so the
// next approve resumes. Correctness does not rest on it: every message's action carries
// its own Idempotency-Key (docs/decisions/0012); the lock keeps two runs from racing.

export type TExecutionLock = { release: () => Promise<void> };

export async function holdExecutionLock(approvalId: string): Promise<TExecutionLock | null> {
  const key = `dlq-console:approval:${approvalId}`;
  const client = await prisma().pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
    if (!rows[0]?.ok) {
      client.release();
      return null;
    }
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  return {
    release: async () => {
      try {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        client.release();
      } catch (error) {
        // Closing the session releases the lock as well.
        client.release(error as Error);
      }
    },
  };
}
