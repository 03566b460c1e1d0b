import { z } from 'zod';

// What the verifier, the CLI, the API and the admin page say about the audit chain. Plain
// JSON: ids are decimal strings (bigints in the database), hashes lowercase hex.

export const BREAK_KINDS = ['hash_mismatch', 'link_mismatch', 'head_mismatch'] as const;
export type TBreakKind = (typeof BREAK_KINDS)[number];

/** The newest event of the chain, as audit_chain_head records it: what to anchor externally. */
export type TAuditChainHead = {
  /** null while the record is empty. */
  lastId: string | null;
  lastHash: string;
  events: number;
};

export type TAuditChainIntact = { ok: true; checked: number; headId: string | null; headHash: string };
export type TAuditChainBroken = {
  ok: false;
  /** The first event that does not fit; for head_mismatch, the event the head names (or the last one found). */
  brokenAt: string | null;
  kind: TBreakKind;
  /** What the chain says it should be: the recomputed hash, the previous event's hash, or the head's hash. */
  expected: string | null;
  /** What is stored instead. */
  actual: string | null;
  /** Events found intact before the break. */
  checked: number;
  /** One sentence for the operator. */
  detail: string;
};
export type TAuditChainVerification = TAuditChainIntact | TAuditChainBroken;

/** A verification as the audit.verified event recorded it, and who ran it. */
export type TAuditVerificationRecord = {
  eventId: string;
  at: string;
  actor: string;
  verification: TAuditChainVerification;
};

export type TAuditIntegrity = { head: TAuditChainHead; lastVerification: TAuditVerificationRecord | null };

const ZHex = z.string().regex(/^[0-9a-f]{64}$/);
const ZId = z.string().regex(/^\d+$/);

/** The `after` of an audit.verified event; parsed because it is read back from storage. */
export const ZAuditChainVerification = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), checked: z.number().int().nonnegative(), headId: ZId.nullable(), headHash: ZHex }),
  z.object({
    ok: z.literal(false),
    brokenAt: ZId.nullable(),
    kind: z.enum(BREAK_KINDS),
    expected: ZHex.nullable(),
    actual: ZHex.nullable(),
    checked: z.number().int().nonnegative(),
    detail: z.string(),
  }),
]);
