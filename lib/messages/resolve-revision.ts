import type { Prisma } from '../db/generated/client';
import type { TPrisma } from '../db/prisma';
import { AppError } from '../errors';
import type { TTypedTable } from '../ingest/typed-headers';
import { assertEncodableHeaders, UnsendableHeaderError } from '../dispatch/to-amqp-headers';

type TDb = Prisma.TransactionClient | TPrisma;

export type TResolvedRevision = { id: bigint | null; number: number; body: Uint8Array; headers: TTypedTable };

const INGEST_ERROR_HEADER = 'x-dlq-console-ingest-error';

/**
 * The bytes and headers a publish would send: revision `number`, or the latest when none is
 * named (0, or no revisions: the message as it arrived). Refuses what cannot be sent
 * faithfully: headers that were not stored at ingest, or nested too deep to store.
 */
export async function resolveRevision(client: TDb, messageId: bigint, number: number | undefined): Promise<TResolvedRevision> {
  const db = client as Prisma.TransactionClient;
  const revision = number === 0
    ? null
    : await db.messageRevision.findFirst({
      where: { messageId, ...(number !== undefined ? { number } : {}) },
      orderBy: { number: 'desc' },
      omit: { body: false },
    });
  if (number !== undefined && number !== 0 && !revision) throw new AppError('INVALID_INPUT', `Message ${messageId} has no revision #${number}`);
  const resolved: TResolvedRevision = revision
    ? { id: revision.id, number: revision.number, body: revision.body, headers: revision.headers as TTypedTable }
    : { id: null, number: 0, ...(await db.message.findUniqueOrThrow({ where: { id: messageId }, select: { body: true, headers: true } })) as { body: Uint8Array; headers: TTypedTable } };
  if (resolved.number === 0 && INGEST_ERROR_HEADER in resolved.headers) {
    throw new AppError('INVALID_INPUT', `Message ${messageId} arrived with headers that could not be stored; publishing it would send it without them. Edit it to set its headers first.`);
  }
  try {
    assertEncodableHeaders(resolved.headers);
  } catch (error) {
    if (error instanceof UnsendableHeaderError) throw new AppError('INVALID_INPUT', `Message ${messageId} cannot be sent as stored: ${error.message}`);
    throw error;
  }
  return resolved;
}
