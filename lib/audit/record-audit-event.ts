import type { Prisma } from '../db/generated/client';

export const AUDIT_ACTIONS = [
  'source.added',
  'source.removed',
  'user.created',
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
};

/** Always called inside the transaction that makes the change it records. */
export async function recordAuditEvent(tx: Prisma.TransactionClient, event: TAuditEventInput) {
  await tx.auditEvent.create({ data: event });
}
