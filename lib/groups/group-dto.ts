import { z } from 'zod';
import { emptyToUndefined, pageFields } from '../validation/query-fields';
import { hasControlCharacters } from '../validation/text';
import { MESSAGE_STATUSES, type TMessageStatus, type TReason } from '../messages/message-dto';
import { CATEGORIES, type TCategory } from './categories';
import type { TFramework } from './read-exception';
import type { TRunbookKind } from './runbook-dto';
import type { TTraceFields } from '../trace/trace-link';

// A failure group as the API returns it and the UI renders it.

export const TREND_HOURS = 24;

export type TGroup = {
  id: string;
  originQueue: string | null;
  reason: TReason;
  exceptionType: string | null;
  /** Normalised: ids, numbers, timestamps and quoted values are placeholders such as <n> and <uuid>. */
  exceptionMessage: string | null;
  /** A header redaction rule masks the header the exception text came from: it is null for this reader. */
  redacted: boolean;
  framework: TFramework | null;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Messages ever classified into the group (some may since have been purged). */
  messageCount: number;
  /** Stored messages of the group the caller may see. */
  storedCount: number;
  byStatus: Partial<Record<TMessageStatus, number>>;
  /** Messages received per hour over the last 24 hours, oldest first (the caller's scope). */
  trend: number[];
  sampleMessageId: string | null;
  ownerTeam: { id: string; name: string } | null;
  category: TCategory;
  suggestedAction: string;
  /** The group's own runbook, else its origin queue's. */
  runbook: { kind: TRunbookKind; url: string } | null;
} & Partial<TTraceFields>; // its sample message's trace link (DLQ_TRACE_URL_TEMPLATE): GET /groups/{id} only

export type TGroupPage = { items: TGroup[]; nextCursor: string | null };

/** What the message page shows about a message's group. */
export type TMessageGroup = Pick<TGroup, 'id' | 'exceptionType' | 'exceptionMessage' | 'redacted' | 'category' | 'suggestedAction' | 'runbook' | 'messageCount'>;

export const GROUP_SORTS = ['last_seen', 'count'] as const;
export type TGroupSort = (typeof GROUP_SORTS)[number];

const ZText = (max: number, min = 1) => z.preprocess(
  emptyToUndefined,
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`)
    .refine((s) => !hasControlCharacters(s), 'must not contain control characters').optional(),
);

export const ZGroupQuery = z.strictObject({
  origin: ZText(255),
  category: z.preprocess(emptyToUndefined, z.enum(CATEGORIES, { message: `must be one of ${CATEGORIES.join(', ')}` }).optional()),
  status: z.preprocess(emptyToUndefined, z.enum(MESSAGE_STATUSES, { message: `must be one of ${MESSAGE_STATUSES.join(', ')}` }).optional()),
  q: ZText(200, 2),
  sort: z.preprocess(emptyToUndefined, z.enum(GROUP_SORTS, { message: `must be one of ${GROUP_SORTS.join(', ')}` }).default('last_seen')),
  ...pageFields,
});
export type TGroupQuery = z.output<typeof ZGroupQuery>;

export const ZGroupId = z.string().regex(/^[1-9][0-9]{0,17}$/);
