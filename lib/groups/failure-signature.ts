import { createHash } from 'node:crypto';
import type { TDeathReason } from '../ingest/parse-death-headers';
import { normaliseExceptionMessage, normaliseExceptionType } from './normalise-exception';
import { readException, type TFramework } from './read-exception';

// A failure signature: the origin queue, the death reason and the exception (type and
// normalised message) when the producer framework said one. Messages with one signature
// are one failure group.

export type TFailure = {
  originQueue: string | null;
  reason: TDeathReason;
  framework: TFramework | null;
  exceptionType: string | null;
  exceptionMessage: string | null;
  signature: Buffer;
};

export function signatureOf(parts: { originQueue: string | null; reason: string; exceptionType: string | null; exceptionMessage: string | null }): Buffer {
  // JSON of an array: no separator inside a queue name or message can make two signatures collide.
  return createHash('sha256')
    .update(JSON.stringify([parts.originQueue, parts.reason, parts.exceptionType, parts.exceptionMessage]))
    .digest();
}

export function describeFailure({ originQueue, reason, headers, customHeader }: {
  originQueue: string | null;
  reason: TDeathReason;
  headers: unknown;
  customHeader?: string;
}): TFailure {
  const exception = readException({ headers, customHeader });
  const exceptionType = normaliseExceptionType(exception?.type);
  const exceptionMessage = normaliseExceptionMessage(exception?.message);
  return {
    originQueue,
    reason,
    framework: exception?.framework ?? null,
    exceptionType,
    exceptionMessage,
    signature: signatureOf({ originQueue, reason, exceptionType, exceptionMessage }),
  };
}
