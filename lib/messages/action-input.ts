import { z } from 'zod';
import { isMessageId } from './message-dto';

// The request bodies of the message actions (docs/decisions/0007), parsed at the HTTP edge
// and by the domain functions' callers alike.

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const ZReason = z
  .string()
  .max(1000, 'must be at most 1000 characters')
  .refine(noControl, 'must not contain control characters')
  .transform((s) => s.trim() || null)
  .nullish();
const ZVersion = z.number({ message: 'must be the version of the message you loaded' }).int().min(1);
const ZName = (what: string) =>
  z
    .string()
    .refine((s) => Buffer.byteLength(s) <= 255, `${what} names are at most 255 bytes`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${what} names must not contain control characters`);
const ZRevisionNumber = z.number().int('must be a revision number').min(0, 'must be a revision number (0 is the message as it arrived)');
const ZShortName = z.string().min(1).max(100).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const ZEditRequest = z
  .object({
    version: ZVersion,
    body: z.object({ encoding: z.enum(['utf8', 'base64']), data: z.string() }).strict(),
    // Not z.record: it drops a key named "__proto__", which ingest keeps as data.
    headers: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a JSON object'),
    reason: ZReason,
  })
  .strict();
export type TEditRequest = z.output<typeof ZEditRequest>;

export const ZReplayTarget = z.union([
  z.object({ queue: ZName('Queue').refine((s) => s.length > 0, 'Queue name is empty') }).strict(),
  z.object({ exchange: ZName('Exchange'), routingKey: ZName('Routing key') }).strict(),
]);
export type TReplayTarget = z.output<typeof ZReplayTarget>;

export const ZReplayRequest = z
  .object({
    version: ZVersion,
    revision: ZRevisionNumber.optional(),
    target: ZReplayTarget.optional(),
    sandbox: ZShortName.optional(),
    reason: ZReason,
  })
  .strict();
export type TReplayRequest = z.output<typeof ZReplayRequest>;

const oneTeamOrAll: [(r: { team?: string; allTeams?: true }) => boolean, { message: string; path: string[] }] = [
  (r) => (r.team === undefined) !== (r.allTeams === undefined),
  { message: 'name one "team", or set "allTeams": true', path: ['team'] },
];

export const ZRedirectRequest = z
  .object({
    version: ZVersion,
    team: ZShortName.optional(),
    allTeams: z.literal(true).optional(),
    revision: ZRevisionNumber.optional(),
    reason: ZReason,
  })
  .strict()
  .refine(...oneTeamOrAll);
export type TRedirectRequest = z.output<typeof ZRedirectRequest>;

export const ZStatusActionRequest = z.object({ version: ZVersion, reason: ZReason }).strict();
export type TStatusActionRequest = z.output<typeof ZStatusActionRequest>;

/** The most messages one bulk request may name. */
export const BULK_MAX_IDS = 10_000;

const ZBulkIds = z
  .array(z.string().refine(isMessageId, 'must be message ids (positive whole numbers, as strings)'), { error: 'must be a list of message ids' })
  .min(1, 'must name at least one message')
  .max(BULK_MAX_IDS, `must name at most ${BULK_MAX_IDS} messages`)
  .refine((ids) => new Set(ids).size === ids.length, 'must not name a message twice');

/** POST /api/v1/messages/bulk: one action, the fields its single form takes (no version: each message as it is), many messages. */
export const ZBulkRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('replay'), ids: ZBulkIds, target: ZReplayTarget.optional(), sandbox: ZShortName.optional(), reason: ZReason }).strict(),
  z.object({ action: z.literal('redirect'), ids: ZBulkIds, team: ZShortName.optional(), allTeams: z.literal(true).optional(), reason: ZReason }).strict().refine(...oneTeamOrAll),
  z.object({ action: z.literal('discard'), ids: ZBulkIds, reason: ZReason }).strict(),
], { error: 'must be "replay", "redirect" or "discard"' });
export type TBulkRequest = z.output<typeof ZBulkRequest>;
