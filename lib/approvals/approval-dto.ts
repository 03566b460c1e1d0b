import { actorKey, type TActor } from '../actor';
import type { ApprovalRequest } from '../db/generated/client';
import type { TEachOutcome } from '../messages/act-on-each-message';
import type { TMessageStatus } from '../messages/message-dto';
import { canActor } from '../permissions/require-permission';
import { APPROVAL_PERMISSION, CANCEL_ANY_PERMISSION, type TApprovalKind, type TApprovalStatus } from './approval-kinds';
import { approvalMessageCount, describeApproval } from './describe-approval';

// The shapes the approvals API returns: plain JSON, ids as strings. `can` is what this
// caller may do with the request now, by the same rules the domain functions enforce, so
// the UI shows only the buttons that will work.

export type TApprovalSummary = {
  id: string;
  kind: TApprovalKind;
  status: TApprovalStatus;
  /** "replay of 150 messages to their origin queues" */
  description: string;
  messageCount: number;
  /** A bulk job's approval: approving queues the job (/jobs/<id>); the job holds every message id. */
  jobId: string | null;
  /** The first few message ids; the detail has them all (a job's, its first 100). */
  sampleMessageIds: string[];
  grounds: string[];
  reason: string | null;
  /** The action as requested: target, team, sandbox, and for one message the version the requester saw. */
  input: unknown;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  executedAt: string | null;
  outcome: { succeeded: number; failed: number } | null;
  /** The caller asked for it: they cannot approve or reject it, only cancel it. */
  mine: boolean;
  can: { approve: boolean; reject: boolean; cancel: boolean; resume: boolean };
};

export type TApprovalMessage = { id: string; source: string; origin: string | null; status: TMessageStatus; version: number };

export type TApprovalDetail = TApprovalSummary & {
  messageIds: string[];
  /** The first messages still stored, for a look before deciding. */
  messages: TApprovalMessage[];
  result: TEachOutcome | null;
};

const SAMPLE = 10;

export function toApprovalSummary(row: ApprovalRequest, actor: TActor): TApprovalSummary {
  const kind = row.kind as TApprovalKind;
  const status = row.status as TApprovalStatus;
  const mine = row.requestedByKey === actorKey(actor);
  const allowed = canActor(actor, APPROVAL_PERMISSION[kind]);
  const result = row.result as TEachOutcome | null;
  return {
    id: row.id,
    kind,
    status,
    description: describeApproval(kind, row.input, approvalMessageCount(row.input, row.messageIds.length)),
    messageCount: approvalMessageCount(row.input, row.messageIds.length),
    jobId: row.jobId,
    sampleMessageIds: row.messageIds.slice(0, SAMPLE).map(String),
    grounds: row.grounds,
    reason: row.reason,
    input: row.input,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    executedAt: row.executedAt?.toISOString() ?? null,
    outcome: !result ? null : row.jobId ? jobOutcome(row.result) : { succeeded: result.succeeded.length, failed: result.failed.length },
    mine,
    can: {
      approve: status === 'pending' && !mine && allowed,
      reject: status === 'pending' && !mine && allowed,
      cancel: status === 'pending' && (mine || canActor(actor, CANCEL_ANY_PERMISSION)),
      resume: status === 'approved' && row.executedAt === null && row.jobId === null && !mine && allowed,
    },
  };
}

/** A bulk job's approval records the job's counts when the job ends (lib/jobs/finish-job.ts). */
function jobOutcome(result: unknown): { succeeded: number; failed: number } {
  const r = (typeof result === 'object' && result !== null ? result : {}) as { done?: unknown; failed?: unknown };
  return { succeeded: typeof r.done === 'number' ? r.done : 0, failed: typeof r.failed === 'number' ? r.failed : 0 };
}
