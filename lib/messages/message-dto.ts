import { z } from 'zod';
import { emptyToUndefined, fromBeforeTo, pageFields, ZIsoDate } from '../validation/query-fields';
import { hasControlCharacters } from '../validation/text';
import type { TTypedTable, TTypedValue } from '../ingest/typed-headers';
import type { TXDeathEntry, TDeathSummary } from '../ingest/parse-death-headers';
import type { TRedactionNote } from '../redaction/redaction-rule-dto';
import type { TMessageGroup } from '../groups/group-dto';
import type { TTraceFields } from '../trace/trace-link';
import { pathFilterProblem } from './parse-json-path-filter';
import { MAX_SEARCH_LENGTH, searchProblem } from './parse-search';

// The shapes the HTTP API returns and the UI renders. Plain JSON: dates are ISO strings,
// ids are strings (they are bigints in the database).

export const MESSAGE_STATUSES = ['new', 'edited', 'replaying', 'redirecting', 'replayed', 'redirected', 'discarded', 'failed'] as const;
export type TMessageStatus = (typeof MESSAGE_STATUSES)[number];
export const REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit', 'unknown'] as const;
export type TReason = (typeof REASONS)[number];

export type TMessageSummary = {
  id: string;
  source: string;
  origin: string | null;
  reason: TReason;
  status: TMessageStatus;
  deathCount: number;
  firstDeathAt: string | null;
  lastDeathAt: string | null;
  ingestedAt: string;
  exchange: string | null;
  routingKeys: string[];
  messageId: string | null;
  correlationId: string | null;
  contentType: string | null;
  size: number;
  isLarge: boolean;
};

export type TMessageBody = { encoding: 'utf8' | 'base64'; data: string };

export type TMessageDetail = TMessageSummary & {
  contentEncoding: string | null;
  properties: Record<string, TTypedValue>;
  headers: TTypedTable;
  xDeath: TXDeathEntry[];
  firstDeath: TDeathSummary | null;
  lastDeath: TDeathSummary | null;
  deliveryExchange: string;
  deliveryRoutingKey: string;
  body: TMessageBody;
  /** true when `body` holds only the first bytes; the whole body is at /api/v1/messages/{id}/body */
  truncated: boolean;
  /** Send it back with every action (optimistic concurrency). */
  version: number;
  /** Times the console published this message's lineage before it arrived here (from its headers). */
  replayCount: number;
  /** The dispatch this message came from, when it is a replay that dead-lettered again. */
  replayId: string | null;
  originalMessageId: string | null;
  /** The message this one is a re-death of (the dispatch's message), when it is still stored. */
  replayOf: string | null;
  /** What redaction rules masked in `body` and `headers` for this caller (lib/redaction); null: nothing. */
  redacted: TRedactionNote | null;
  revisions: TRevisionSummary[];
  /** Newest first. */
  dispatches: TDispatch[];
  /** Its failure group (lib/groups): category, suggested action, runbook; null until the worker's classifier has grouped it. */
  group: TMessageGroup | null;
} & Partial<TTraceFields>; // the link to its trace (DLQ_TRACE_URL_TEMPLATE): GET /messages/{id} only

export type TRevisionSummary = { id: string; number: number; author: string; reason: string | null; createdAt: string; size: number };

/** Editable headers: plain JSON, with `{ "!": "timestamp" | "decimal" | "bytes", value }` for the types JSON cannot say. */
export type TEditableHeaders = Record<string, unknown>;

/** Revision `number` of a message; 0 is the message as it arrived. */
export type TRevision = {
  number: number;
  body: TMessageBody;
  truncated: boolean;
  size: number;
  headers: TEditableHeaders;
  author: string | null;
  reason: string | null;
  createdAt: string;
  /** What redaction rules masked in `body` and `headers` for this caller; null: nothing. */
  redacted: TRedactionNote | null;
};

export const DISPATCH_KINDS = ['replay', 'redirect', 'sandbox'] as const;
export type TDispatchKind = (typeof DISPATCH_KINDS)[number];
export const DISPATCH_STATES = ['pending', 'published', 'failed'] as const;
export type TDispatchState = (typeof DISPATCH_STATES)[number];

export type TDispatch = {
  id: string;
  actionId: string;
  kind: TDispatchKind;
  state: TDispatchState;
  exchange: string;
  routingKey: string;
  team: string | null;
  sandbox: string | null;
  /** 0: the bytes that arrived */
  revision: number;
  attempts: number;
  lastError: string | null;
  actor: string;
  reason: string | null;
  createdAt: string;
  settledAt: string | null;
};

export type TTimelineItem =
  | { kind: 'ingested'; at: string; source: string; reason: TReason; origin: string | null }
  | { kind: 'audit'; at: string; id: string; action: string; actor: string; reason: string | null; target: string | null; result: string | null; before: unknown; after: unknown; redacted?: boolean }
  /** A replay of this message that dead-lettered again, stored as message `messageId`. */
  | { kind: 'redeath'; at: string; messageId: string; dispatchId: string; reason: TReason; origin: string | null };

export type TMessagePage = { items: TMessageSummary[]; nextCursor: string | null };

export type TMessageCounts = {
  total: number;
  bySource: { source: string; count: number }[];
  byReason: { reason: TReason; count: number }[];
  /** A search (q or path) matched more than the counts cover: they are of its newest SEARCH_MAX_IDS matches. */
  capped: boolean;
};

const noControl = (s: string) => !hasControlCharacters(s);
const ZName = z.preprocess(
  emptyToUndefined,
  z.string().max(255, 'must be at most 255 characters').refine(noControl, 'must not contain control characters').optional(),
);

const filterShape = {
    source: ZName,
    origin: ZName,
  reason: z.preprocess(emptyToUndefined, z.enum(REASONS, { message: `must be one of ${REASONS.join(', ')}` }).optional()),
  status: z.preprocess(emptyToUndefined, z.enum(MESSAGE_STATUSES, { message: `must be one of ${MESSAGE_STATUSES.join(', ')}` }).optional()),
    /** Free text: words, "phrases", -exclusions, a OR b, prefix* (parse-search.ts). */
    q: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .max(MAX_SEARCH_LENGTH, `must be at most ${MAX_SEARCH_LENGTH} characters`)
        .refine(noControl, 'must not contain control characters')
        .superRefine((q, ctx) => {
          const problem = searchProblem(q);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional(),
    ),
    /** A JSON path filter on the parsed body: `$.customer.id = "42"`, or a bare path for "exists" (parse-json-path-filter.ts). */
    path: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .superRefine((path, ctx) => {
          const problem = pathFilterProblem(path);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional(),
    ),
    from: ZIsoDate,
    to: ZIsoDate,
  /** A failure group's id (lib/groups). */
  group: z.preprocess(emptyToUndefined, z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a failure group id').optional()),
  /** The owning team's id, as the ownership rules set it (lib/ownership). */
  owner: z.preprocess(emptyToUndefined, z.uuid({ message: 'must be a team id' }).optional()),
};
/** The list filters, shared by the page query, the counts and the UI's URL state. */
export const ZMessageFilters = z.object(filterShape).strict().refine(...fromBeforeTo);
export type TMessageFilters = z.output<typeof ZMessageFilters>;

export const ZFindMessagesQuery = z
  .object({
    ...filterShape,
    ...pageFields,
  })
  .strict()
  .refine(...fromBeforeTo);
export type TFindMessagesQuery = z.output<typeof ZFindMessagesQuery>;

const MAX_ID = 9223372036854775807n; // PostgreSQL bigint

/** A positive bigint in decimal, as ids appear in URLs and cursors. */
export function isMessageId(s: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(s) && BigInt(s) <= MAX_ID;
}

export const ZMessageId = z.string().refine(isMessageId, 'is not a message id');
