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
