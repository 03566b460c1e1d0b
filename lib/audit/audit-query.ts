import { z } from 'zod';
import { AppError } from '../errors';
import { isMessageId } from '../messages/message-dto';
import { emptyToUndefined, fromBeforeTo, pageFields, ZIsoDate } from '../validation/query-fields';
import { hasControlCharacters } from '../validation/text';
import { ACTION_GROUP_NAMES, isActionGroup, isAuditAction } from './action-groups';
import type { TAuditEventDto } from './audit-event-dto';
import { AUDIT_OUTCOMES } from './record-audit-event';

// The audit page's query: who, what, which team's or queue's messages, which outcome,
// when. Shared by the list, the export, their routes and tests; the cursor is opaque to
// clients (the last id of a page).

const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !hasControlCharacters(s), 'must not contain control characters');

const filterShape = {
  /** `user:ana@example.com` exactly, or every actor starting with `user:` when it ends with `*`. */
  actor: z.preprocess(emptyToUndefined, text(300).refine((s) => s !== '*', 'needs at least one character before "*"').optional()),
  /** One action (`message.replay_requested`) or a group of them (`replays`, lib/audit/action-groups.ts). */
  action: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((s) => isAuditAction(s) || isActionGroup(s), `must be an audit action such as message.replay_requested, or a group: ${ACTION_GROUP_NAMES.join(', ')}`)
      .optional(),
  ),
  /** A team's name or id: events about the queues it owns, or about the team itself. */
  team: z.preprocess(emptyToUndefined, text(100).optional()),
  /** The dead-letter queue the event's message was consumed from, exactly. */
  source: z.preprocess(emptyToUndefined, text(255).optional()),
  /** The queue the event's message died in, exactly. */
  origin: z.preprocess(emptyToUndefined, text(255).optional()),
  outcome: z.preprocess(emptyToUndefined, z.enum(AUDIT_OUTCOMES, { error: `must be one of ${AUDIT_OUTCOMES.join(', ')}` }).optional()),
  messageId: z.preprocess(emptyToUndefined, z.string().refine(isMessageId, 'must be a message id (a positive whole number)').optional()),
  from: ZIsoDate,
  to: ZIsoDate,
};
export const AUDIT_FILTER_NAMES = Object.keys(filterShape) as (keyof typeof filterShape)[];

export const ZAuditFilters = z.object(filterShape).strict().refine(...fromBeforeTo);
export type TCheckedAuditFilters = z.output<typeof ZAuditFilters>;
/** What the domain functions accept: the URL's strings, or what ZAuditQuery made of them. */
export type TAuditFilters = { [K in Exclude<keyof typeof filterShape, 'from' | 'to'>]?: string } & { from?: Date | string; to?: Date | string };

export const ZAuditQuery = z
  .object({ ...filterShape, ...pageFields })
  .strict()
  .refine(...fromBeforeTo);
export type TAuditQuery = z.output<typeof ZAuditQuery>;

export const AUDIT_EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type TAuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** GET /api/v1/audit/export: the list's filters and a format, no paging (it is all of them). */
export const ZAuditExportQuery = z
  .object({
    ...filterShape,
    format: z.enum(AUDIT_EXPORT_FORMATS, {
      error: (issue) => (issue.input === undefined ? 'is required: csv or jsonl' : 'must be csv or jsonl'),
    }),
  })
  .strict()
  .refine(...fromBeforeTo);

export type TAuditPage = { items: TAuditEventDto[]; nextCursor: string | null };

/** Callers other than the routes (the CLI, tests) get the same checks the URL gets. */
export function checkAuditFilters(filters: TAuditFilters): TCheckedAuditFilters {
  const parsed = ZAuditFilters.safeParse(filters);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError(
    'INVALID_INPUT',
    issue.code === 'unrecognized_keys' ? `Unknown filter "${issue.keys.join('", "')}"` : `Invalid filter "${issue.path.join('.')}": ${issue.message}`,
  );
}

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
