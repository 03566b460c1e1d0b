import type { AuditEvent } from '../db/generated/client';
import type { TAuditOutcome } from './record-audit-event';

// Every audit event that leaves the server (the list, one event, the export) is made by
// toAuditEventDto, so what a reader may see of before and after is decided in one place.

/** An audit event as the API, the page and the export show it. Ids are strings, hashes hex. */
export type TAuditEventDto = {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  messageId: string | null;
  /** The message's queues when the event was written: they stay after retention removes it. */
  sourceQueue: string | null;
  originQueue: string | null;
  outcome: TAuditOutcome | null;
  reason: string | null;
  target: string | null;
  result: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  /** Some values of before or after are masked for this reader (lib/redaction); the record itself holds them. */
  redacted: boolean;
  /** sha256 of the previous event's hash and this event (docs/decisions/0009-audit-hash-chain.md). */
  hash: string;
  prevHash: string;
};

/** The before and after a reader is shown: values redaction rules cover are masked for readers without messages:read-sensitive. */
export type TAuditRedactor = (event: { action: string; before: unknown; after: unknown }) => { before: unknown; after: unknown; redacted: boolean };

/** For readers who may see everything, and for everyone while no redaction rule exists. */
export const showAuditValues: TAuditRedactor = ({ before, after }) => ({ before, after, redacted: false });

export function toAuditEventDto(row: AuditEvent, redact: TAuditRedactor): TAuditEventDto {
  const { before, after, redacted } = redact({ action: row.action, before: row.before ?? null, after: row.after ?? null });
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    messageId: row.messageId?.toString() ?? null,
    sourceQueue: row.sourceQueue,
    originQueue: row.originQueue,
    outcome: row.outcome as TAuditOutcome | null,
    reason: row.reason,
    target: row.target,
    result: row.result,
    requestId: row.requestId,
    before,
    after,
    redacted,
    hash: Buffer.from(row.hash).toString('hex'),
    prevHash: Buffer.from(row.prevHash).toString('hex'),
  };
}
