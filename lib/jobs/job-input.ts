import { z } from 'zod';
import { ZReplayTarget } from '../messages/action-input';
import { isMessageId, ZMessageFilters } from '../messages/message-dto';
import { ZJsonPatch } from './json-patch';

// The request body of POST /api/v1/jobs (docs/decisions/0016): one action, the fields its
// single form takes, and what to run it on: the messages matching list filters (frozen when
// the job is created), or named ids. Limits that come from the environment (the most
// messages, the fastest rate) are checked by createJob, where env is read.

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const ZReason = z
  .string()
  .max(1000, 'must be at most 1000 characters')
  .refine(noControl, 'must not contain control characters')
  .transform((s) => s.trim() || null)
  .nullish();
const ZShortName = z.string().min(1).max(100).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');
const ZRevision = z.number().int('must be a revision number').min(0, 'must be a revision number (0 is the message as it arrived)');

/** Upper bound of a named list; DLQ_JOB_MAX_MESSAGES is the real limit. */
const MAX_NAMED_IDS = 1_000_000;

export const ZJobSelection = z.union([
  z
    .object({
      filters: ZMessageFilters,
      /** What the operator was shown; a different count now is a 409. */
      expectedCount: z.number().int().min(0).optional(),
      /** The highest id of the dry run: later arrivals are left out. */
      maxId: z.string().refine(isMessageId, 'must be a message id').optional(),
    })
    .strict(),
  z
    .object({
      ids: z
        .array(z.string().refine(isMessageId, 'must be message ids (positive whole numbers, as strings)'))
        .min(1, 'must name at least one message')
        .max(MAX_NAMED_IDS)
        .refine((ids) => new Set(ids).size === ids.length, 'must not name a message twice'),
    })
    .strict(),
], { error: 'must be { filters, expectedCount?, maxId? } or { ids }' });
export type TJobSelection = z.output<typeof ZJobSelection>;

export const ZCanary = z
  .object({
    size: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
    waitSeconds: z.number().int().min(1, 'must be at least 1 second').max(3600, 'must be at most 3600 seconds'),
  })
  .strict();

const common = {
  selection: ZJobSelection,
  reason: ZReason,
  ratePerSecond: z.number().int('must be a whole number of messages per second').min(1, 'must be at least 1').optional(),
  dryRun: z.boolean().optional(),
};

const oneTeamOrAll: [(r: { team?: string; allTeams?: true }) => boolean, { message: string; path: string[] }] = [
  (r) => (r.team === undefined) !== (r.allTeams === undefined),
  { message: 'name one "team", or set "allTeams": true', path: ['team'] },
];
const patchOrRevision: [(r: { revision?: number; jsonPatch?: unknown }) => boolean, { message: string; path: string[] }] = [
  (r) => r.revision === undefined || r.jsonPatch === undefined,
  { message: 'a JSON patch applies to each message\'s latest body; do not name a revision as well', path: ['revision'] },
];

export const ZJobRequest = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('replay'),
      ...common,
      target: ZReplayTarget.optional(),
      revision: ZRevision.optional(),
      jsonPatch: ZJsonPatch.optional(),
      canary: ZCanary.optional(),
    })
    .strict()
    .refine(...patchOrRevision),
  z
    .object({
      action: z.literal('redirect'),
      ...common,
      team: ZShortName.optional(),
      allTeams: z.literal(true).optional(),
      revision: ZRevision.optional(),
      jsonPatch: ZJsonPatch.optional(),
      canary: ZCanary.optional(),
    })
    .strict()
    .refine(...oneTeamOrAll)
    .refine(...patchOrRevision),
  // Nothing is published, so there is no canary to watch and no body to patch.
  z.object({ action: z.literal('discard'), ...common }).strict(),
], { error: 'must be "replay", "redirect" or "discard"' });
export type TJobRequest = z.output<typeof ZJobRequest>;
export type TJobKind = TJobRequest['action'];

/** What the job stores and runs each message with: the action's fields without the selection and the job's own options. */
export type TJobActionInput = {
  reason?: string | null;
  target?: z.output<typeof ZReplayTarget>;
  revision?: number;
  team?: string;
  allTeams?: true;
  jsonPatch?: z.output<typeof ZJsonPatch>;
};

export function toJobActionInput(request: TJobRequest): TJobActionInput & Record<string, unknown> {
  const { action: _action, selection: _selection, ratePerSecond: _rate, dryRun: _dryRun, ...rest } = request;
  const { canary: _canary, ...fields } = rest as typeof rest & { canary?: unknown };
  return JSON.parse(JSON.stringify(fields)) as TJobActionInput & Record<string, unknown>;
}

export const JOB_STATUSES = ['awaiting_approval', 'queued', 'running', 'canary', 'paused', 'completed', 'halted', 'cancelled', 'rejected', 'failed'] as const;
export type TJobStatus = (typeof JOB_STATUSES)[number];
/** A worker runs these. */
export const ACTIVE_STATUSES: readonly TJobStatus[] = ['queued', 'running', 'canary'];
export const FINISHED_STATUSES: readonly TJobStatus[] = ['completed', 'halted', 'cancelled', 'rejected', 'failed'];

export const ITEM_STATES = ['pending', 'done', 'failed', 'skipped'] as const;

export const ZJobListQuery = z
  .object({
    status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(JOB_STATUSES, { message: `must be one of ${JOB_STATUSES.join(', ')}` }).optional()),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(200).optional()),
  })
  .strict();

export const ZJobItemsQuery = z
  .object({
    state: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ITEM_STATES, { message: `must be one of ${ITEM_STATES.join(', ')}` }).optional()),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[0-9]{1,9}$/, 'is not a cursor').optional()),
  })
  .strict();

export const ZJobControl = z.object({ reason: ZReason }).strict();

export function isJobId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
