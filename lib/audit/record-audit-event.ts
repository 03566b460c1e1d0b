import type { Prisma } from '../db/generated/client';

export const AUDIT_ACTIONS = [
  'source.added',
  'source.removed',
  'source.updated',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.sessions_revoked',
  'user.password_changed',
  'token.created',
  'token.revoked',
  'message.edited',
  'message.replay_requested',
  'message.redirect_requested',
  'message.sandbox_replay_requested',
  'message.discarded',
  'message.restored',
  'dispatch.published',
  'dispatch.failed',
  'dispatch.retrying',
  'team.created',
  'team.updated',
  'team.deleted',
  'sandbox.created',
  'sandbox.deleted',
  'contract.set',
  'contract.removed',
  'team.ownership_changed',
  'team.members_changed',
  'settings.updated',
  'redaction_rule.created',
  'redaction_rule.deleted',
  'approval.requested',
  'approval.approved',
  'approval.rejected',
  'approval.cancelled',
  'approval.executed',
  'audit.verified',
  'category_rule.created',
  'category_rule.deleted',
  'runbook.set',
  'runbook.removed',
  'job.created',
  'job.queued',
  'job.started',
  'job.canary_passed',
  'job.halted',
  'job.paused',
  'job.resumed',
  'job.cancelled',
  'job.rejected',
  'job.completed',
  'job.failed',
  'ownership_rule.created',
  'ownership_rule.updated',
  'ownership_rule.deleted',
  'ownership_rule.reordered',
  'retention_policy.set',
  'retention_policy.removed',
  'retention.purged',
  'alert_rule.created',
  'alert_rule.updated',
  'alert_rule.deleted',
  'alert.fired',
  'alert.resolved',
  'alert.notification_failed',
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];

export type TAuditEventInput = {
  actor: string;
  action: TAuditAction;
  subject?: string;
  /** The message the event is about: its timeline is read by this. */
  messageId?: bigint;
  reason?: string | null;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  /** Where a publish went: "queue orders" or "exchange billing / key invoices". */
  target?: string;
  /** The outcome in words: "confirmed", "returned: NO_ROUTE", ... */
  result?: string;
  requestId?: string;
  /** Defaults from the action (AUDIT_OUTCOMES); dispatch outcomes and executions say their own. */
  outcome?: TAuditOutcome;
  /** The message's queues; the chain trigger copies them from the message when omitted. */
  sourceQueue?: string | null;
  originQueue?: string | null;
};

export const AUDIT_OUTCOMES = ['succeeded', 'failed', 'pending', 'rejected'] as const;
export type TAuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What an action's event says about its outcome unless told otherwise. */
export function defaultOutcome(action: TAuditAction): TAuditOutcome {
  switch (action) {
    case 'dispatch.failed':
    case 'job.halted':
    case 'job.failed':
      return 'failed';
    case 'dispatch.retrying':
    case 'message.replay_requested':
    case 'message.redirect_requested':
    case 'message.sandbox_replay_requested':
    case 'approval.requested':
      return 'pending';
    case 'approval.rejected':
    case 'job.rejected':
      return 'rejected';
    default:
      return 'succeeded';
  }
}

/**
 * Always called inside the transaction that makes the change it records. The database
 * chains the event to the one before it (docs/decisions/0009-audit-hash-chain.md), which
 * serialises audit writers: record the event last in a transaction, just before commit.
 */
export async function recordAuditEvent(tx: Prisma.TransactionClient, event: TAuditEventInput) {
  await tx.auditEvent.create({ data: { ...event, outcome: event.outcome ?? defaultOutcome(event.action) } });
}

/**
 * Many events in one statement, in the order given (the chain trigger still chains them one
 * by one): the audit chain's lock is then held for one round trip and the commit, not one
 * per event. The same rows recordAuditEvent would write; also last in its transaction. One
 * jsonb parameter: Prisma's createMany took 20 to 40 times as long for 100 events.
 */
export async function recordAuditEvents(tx: Prisma.TransactionClient, events: TAuditEventInput[]) {
  if (events.length === 0) return;
  const rows = events.map((e) => ({
    actor: e.actor, action: e.action, subject: e.subject ?? null, reason: e.reason ?? null, before: e.before ?? null, after: e.after ?? null,
    message_id: e.messageId === undefined ? null : String(e.messageId), request_id: e.requestId ?? null, target: e.target ?? null,
    result: e.result ?? null, source_queue: e.sourceQueue ?? null, origin_queue: e.originQueue ?? null, outcome: e.outcome ?? defaultOutcome(e.action),
  }));
  await tx.$executeRaw`
    INSERT INTO audit_events (actor, action, subject, reason, before, after, message_id, request_id, target, result, source_queue, origin_queue, outcome)
    SELECT actor, action, subject, reason, before, after, message_id, request_id, target, result, source_queue, origin_queue, outcome
    FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS (
      actor text, action text, subject text, reason text, before jsonb, after jsonb, message_id bigint, request_id text, target text,
      result text, source_queue text, origin_queue text, outcome text)) WITH ORDINALITY AS e(
      actor, action, subject, reason, before, after, message_id, request_id, target, result, source_queue, origin_queue, outcome, ord)
    ORDER BY ord`;
}
