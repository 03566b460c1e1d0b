import type { TPermission } from '../permissions/roles';

// What a four-eyes approval can stand for (docs/decisions/0012-four-eyes-approval.md):
// the actions that publish a message or throw it away. Restore undoes a discard and
// needs nobody's approval; an edit changes nothing outside the console.

export const APPROVAL_KINDS = ['replay', 'redirect', 'discard'] as const;
export type TApprovalKind = (typeof APPROVAL_KINDS)[number];

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type TApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** Requesting, approving, rejecting and (for the requester) executing all need the action's own permission. */
export const APPROVAL_PERMISSION: Record<TApprovalKind, TPermission> = {
  replay: 'messages:replay',
  redirect: 'messages:redirect',
  discard: 'messages:discard',
};

/** May cancel anyone's pending request (the requester may cancel their own). */
export const CANCEL_ANY_PERMISSION: TPermission = 'settings:manage';

/**
 * Carried by an action that runs because a second person approved it: the domain function
 * checks it against the stored request instead of asking for approval again, and writes it
 * into its audit event's `after`.
 */
export type TApprovalMarker = { id: string; approvedBy: string };

/** What an action answers instead of acting when it needs a second person. */
export type TPendingApproval = {
  approval: { id: string; kind: TApprovalKind; status: 'pending'; grounds: string[]; messageCount: number };
};

export function isPendingApproval(result: object): result is TPendingApproval {
  return 'approval' in result;
}

export function isApprovalKind(value: string): value is TApprovalKind {
  return (APPROVAL_KINDS as readonly string[]).includes(value);
}
