import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { scopeOf } from '../permissions/team-scope';
import type { TSubjectKind } from './alert-rule-dto';

/**
 * A user or token limited to its teams watches only its teams' queues, of the kind the rule
 * watches: a 'source' rule needs the queue among its teams' source queues, an 'origin' rule
 * among their origin queues. A rule on another queue (or on every queue, '*') would tell it
 * about messages it cannot see.
 */
export function requireSubjectInScope(actor: TActor, subjectKind: TSubjectKind, subject: string): void {
  if (!scopeOf(actor)) return;
  if (subject === '*') throw new AppError('FORBIDDEN', 'A user or token limited to its teams cannot watch every queue (subject "*"): name one of its queues');
  if (!isSubjectVisible(actor, subjectKind, subject)) throw new AppError('FORBIDDEN', `Queue ${subject} is not one of your teams' ${subjectKind} queues`);
}

/** Whether the actor may see a rule or an alert on this subject. */
export function isSubjectVisible(actor: TActor, subjectKind: TSubjectKind, subject: string): boolean {
  const scope = scopeOf(actor);
  if (!scope) return true;
  return subject !== '*' && (subjectKind === 'source' ? scope.sources : scope.origins).includes(subject);
}

/** The rules the actor may see, as a where clause (AND it in). */
export function visibleRulesWhere(actor: TActor): Prisma.AlertRuleWhereInput {
  const scope = scopeOf(actor);
  if (!scope) return {};
  return { OR: [{ subjectKind: 'source', subject: { in: scope.sources } }, { subjectKind: 'origin', subject: { in: scope.origins } }] };
}

/** The alerts the actor may see, as a where clause (AND it in). */
export function visibleAlertsWhere(actor: TActor): Prisma.AlertWhereInput {
  const scope = scopeOf(actor);
  if (!scope) return {};
  return { OR: [{ rule: { subjectKind: 'source' }, subject: { in: scope.sources } }, { rule: { subjectKind: 'origin' }, subject: { in: scope.origins } }] };
}
