import type { TActor } from '../actor';
import { AppError } from '../errors';
import { scopeOf } from '../permissions/team-scope';

/**
 * Sources are shared by every team whose messages they hold: switching off a source's
 * protection or switching on its auto-redirect changes what happens to other teams'
 * messages. As with ownership (requireUnscoped), a user or token limited to its teams
 * changes no source at all.
 */
export function requireUnscopedSourceChange(actor: TActor): void {
  if (scopeOf(actor)) {
    throw new AppError('FORBIDDEN', 'A user or token limited to its teams cannot add, remove or change sources: a source holds every team\'s messages');
  }
}
