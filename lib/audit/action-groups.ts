import { AUDIT_ACTIONS, type TAuditAction } from './record-audit-event';

// Named sets of actions, so an auditor asks for "replays" instead of listing action names.
// A group name never contains a dot and an action name always does, so `action=` takes
// either without ambiguity. Groups are built from AUDIT_ACTIONS by prefix where they can
// be, so a new user.* or approval.* action joins its group without an edit here.
//
// - replays:   a replay was requested, to the origin, another queue or a sandbox. The
//              publish outcomes are the worker's dispatch.* events (group "publishes").
// - redirects: a redirect to one team or to every team was requested.
// - discards:  discarded, and restored from the discarded state.
// - edits:     a new revision of a message was saved.
// - publishes: the broker confirmed, refused or has not yet answered a publish.
// - approvals: four-eyes requests and their decisions and executions.
// - access:    who may do what: users, API tokens, team membership and ownership,
//              redaction rules, settings.
// - configuration: what the console works with: sources, teams, sandboxes, contracts,
//              failure categories, runbooks, ownership rules, retention (and its purges).
// - jobs:      bulk jobs: created with their frozen selection, each change of status, the end.
// - alerts:    alert rules changed, alerts fired and resolved, webhook deliveries given up on.

const byPrefix = (...prefixes: string[]) => AUDIT_ACTIONS.filter((a) => prefixes.some((p) => a.startsWith(p)));

export const ACTION_GROUPS = {
  replays: ['message.replay_requested', 'message.sandbox_replay_requested'],
  redirects: ['message.redirect_requested'],
  discards: ['message.discarded', 'message.restored'],
  edits: ['message.edited'],
  publishes: byPrefix('dispatch.'),
  approvals: byPrefix('approval.'),
  access: [...byPrefix('user.', 'token.', 'redaction_rule.', 'settings.'), 'team.members_changed', 'team.ownership_changed'],
  configuration: [
    ...byPrefix('source.', 'sandbox.', 'contract.', 'category_rule.', 'runbook.', 'ownership_rule.', 'retention_policy.', 'retention.'),
    'team.created', 'team.updated', 'team.deleted',
  ],
  jobs: byPrefix('job.'),
  alerts: byPrefix('alert_rule.', 'alert.'),
} as const satisfies Record<string, readonly TAuditAction[]>;

export type TActionGroup = keyof typeof ACTION_GROUPS;
export const ACTION_GROUP_NAMES = Object.keys(ACTION_GROUPS) as TActionGroup[];

export const ACTION_GROUP_LABELS: Record<TActionGroup, string> = {
  replays: 'Replays',
  redirects: 'Redirects',
  discards: 'Discards and restores',
  edits: 'Edits',
  publishes: 'Publish outcomes',
  approvals: 'Approvals',
  access: 'Access (users, tokens, teams, redaction, settings)',
  configuration: 'Configuration (sources, teams, sandboxes, contracts, rules, retention)',
  jobs: 'Bulk jobs',
  alerts: 'Alerts (rules, fired, resolved)',
};

export function isActionGroup(value: string): value is TActionGroup {
  return Object.hasOwn(ACTION_GROUPS, value);
}

export function isAuditAction(value: string): value is TAuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** The actions an `action` filter stands for: a group's members, or the one action. */
export function actionsOf(filter: string): readonly TAuditAction[] {
  if (isActionGroup(filter)) return ACTION_GROUPS[filter];
  return isAuditAction(filter) ? [filter] : [];
}
