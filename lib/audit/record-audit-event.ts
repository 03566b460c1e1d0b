import type { Prisma } from '../db/generated/client';

export const AUDIT_ACTIONS = [
  'source.added',
  'source.removed',
  'user.created',
  'token.created',
  'token.revoked',
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];

export type TAuditEventInput = {
  actor: string;
  action: TAuditAction;
  subject?: string;
  reason?: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
};

/** Always called inside the transaction that makes the change it records. */
export async function recordAuditEvent(tx: Prisma.TransactionClient, event: TAuditEventInput) {
  await tx.auditEvent.create({ data: event });
}
