import type { TActor } from '../actor';
import { AppError } from '../errors';
import { isQueueInScope, scopeOf } from '../permissions/team-scope';

/**
 * A user or token limited to its teams watches only its teams' queues: a rule on another
 * queue (or on every queue, '*') would tell it about messages it cannot see.
 */
export function requireSubjectInScope(actor: TActor, subject: string): void {
  if (!scopeOf(actor)) return;
  if (subject === '*') throw new AppError('FORBIDDEN', 'A user or token limited to its teams cannot watch every queue (subject "*"): name one of its queues');
  if (!isQueueInScope(actor, subject)) throw new AppError('FORBIDDEN', `Queue ${subject} is not one of your teams' queues`);
}

/** Whether the actor may see a rule's or an alert's subject. */
export function isSubjectVisible(actor: TActor, subject: string): boolean {
  return !scopeOf(actor) || (subject !== '*' && isQueueInScope(actor, subject));
}
