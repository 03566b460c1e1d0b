import { z } from 'zod';
import { AppError } from '../errors';
import { isMessageId, type TAuditEvent } from '../messages/message-dto';
import { emptyToUndefined, fromBeforeTo, pageFields, ZIsoDate } from '../validation/query-fields';
import { hasControlCharacters } from '../validation/text';

// The audit page's query: who, what, which message, when. Shared by the route, the
// domain function and its tests; the cursor is opaque to clients (the last id of a page).

const filterShape = {
    /** `user:ana@example.com` exactly, or every actor starting with `user:` when it ends with `*`. */
    actor: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .max(300, 'must be at most 300 characters')
        .refine((s) => !hasControlCharacters(s), 'must not contain control characters')
        .refine((s) => s !== '*', 'needs at least one character before "*"')
        .optional(),
    ),
    action: z.preprocess(
      emptyToUndefined,
      z.string().regex(/^[a-z][a-z0-9_.:-]{0,99}$/, 'must be an action name such as message.replay_requested').optional(),
    ),
    messageId: z.preprocess(emptyToUndefined, z.string().refine(isMessageId, 'must be a message id (a positive whole number)').optional()),
    from: ZIsoDate,
    to: ZIsoDate,
};
export const ZAuditFilters = z.object(filterShape).strict().refine(...fromBeforeTo);
/** What findAuditEvents accepts: the URL's strings, or what ZAuditQuery made of them. */
export type TAuditFilters = { actor?: string; action?: string; messageId?: string; from?: Date | string; to?: Date | string };

export const ZAuditQuery = z
  .object({
    ...filterShape,
    ...pageFields,
  })
  .strict()
  .refine(...fromBeforeTo);
export type TAuditQuery = z.output<typeof ZAuditQuery>;

export type TAuditPage = { items: TAuditEvent[]; nextCursor: string | null };

export function encodeAuditCursor(id: bigint): string {
  return Buffer.from(`a${id}`).toString('base64url');
}

export function decodeAuditCursor(cursor: string): bigint {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('a') || !isMessageId(raw.slice(1))) {
    throw new AppError('INVALID_INPUT', 'Invalid query parameter "cursor": is not a cursor returned by this API');
  }
  return BigInt(raw.slice(1));
}
