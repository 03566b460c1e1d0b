import { Prisma } from './generated/client';

/** A write refused by a unique index (Prisma P2002), e.g. the loser of two concurrent creates. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
