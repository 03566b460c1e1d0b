import { createHash } from 'node:crypto';

// The canonical form of an audit event and its chain hash, written again in Node from the
// definition in prisma/migrations/20261129130000_audit_chain/migration.sql rather than
// calling the SQL function: a verifier that asked the database to hash would trust the
// very thing it checks (docs/decisions/0009-audit-hash-chain.md).

/** An event's fields as the verifier reads them: text, ids in decimal, jsonb as PostgreSQL renders it. */
export type TCanonicalAuditFields = {
  id: bigint | string;
  at: Date;
  actor: string;
  action: string;
  subject: string | null;
  reason: string | null;
  /** `before::text`: PostgreSQL's own rendering of the jsonb value. */
  before: string | null;
  after: string | null;
  messageId: bigint | string | null;
  requestId: string | null;
  target: string | null;
  result: string | null;
  sourceQueue: string | null;
  originQueue: string | null;
  outcome: string | null;
};

/** The first event's prev_hash. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** '-' for NULL, else '<octet length>:<text>': no value can be mistaken for a neighbour's. */
function field(text: string | null): string {
  return text === null ? '-' : `${Buffer.byteLength(text, 'utf8')}:${text}`;
}

function decimal(id: bigint | string | null): string | null {
  return id === null ? null : id.toString();
}

export function canonicalAuditEvent(e: TCanonicalAuditFields): string {
  return [
    decimal(e.id),
    // UTC with milliseconds, the column's precision: what to_char(... 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') writes.
    e.at.toISOString(),
    e.actor,
    e.action,
    e.subject,
    e.reason,
    e.before,
    e.after,
    decimal(e.messageId),
    e.requestId,
    e.target,
    e.result,
    e.sourceQueue,
    e.originQueue,
    e.outcome,
  ]
    .map(field)
    .join('');
}

/** sha256(prev_hash || utf8(canonical)). */
export function hashAuditEvent(prevHash: Uint8Array, canonical: string): Buffer {
  return createHash('sha256').update(prevHash).update(canonical, 'utf8').digest();
}
