import type { Prisma } from '../db/generated/client';
import { recordAuditEvent, type TAuditEventInput } from '../audit/record-audit-event';

// The audit actions of failure groups: category rules and runbooks.
export const GROUPS_AUDIT_ACTIONS = ['category_rule.created', 'category_rule.deleted', 'runbook.set', 'runbook.removed'] as const;
export type TGroupsAuditAction = (typeof GROUPS_AUDIT_ACTIONS)[number];

export async function recordGroupsAuditEvent(tx: Prisma.TransactionClient, event: Omit<TAuditEventInput, 'action'> & { action: TGroupsAuditAction }) {
  await recordAuditEvent(tx, event);
}
