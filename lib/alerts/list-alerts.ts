import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { toAlertDto, type TAlert } from './alert-dto';
import { visibleAlertsWhere } from './require-subject-in-scope';

const INCLUDE = {
  rule: { select: { name: true, subjectKind: true, metric: true, comparison: true, windowMinutes: true, forMinutes: true } },
  notifications: { select: { event: true, state: true, attempts: true, lastStatus: true, lastError: true, nextAttemptAt: true, sentAt: true } },
} as const;

const RECENT = 20;

/** The open alerts (firing first, then pending, newest first) and the most recently resolved ones that had fired. */
export async function listAlerts({ actor }: { actor: TActor }): Promise<{ open: TAlert[]; recent: TAlert[] }> {
  requirePermission(actor, 'messages:read');
  const db = prisma();
  // The scope is part of the query: filtering after `take` could leave a scoped reader with fewer than RECENT.
  const visible = visibleAlertsWhere(actor);
  const [open, recent] = await Promise.all([
    db.alert.findMany({ where: { AND: [visible, { state: { not: 'resolved' } }] }, include: INCLUDE, orderBy: [{ state: 'asc' }, { pendingSince: 'desc' }] }),
    db.alert.findMany({ where: { AND: [visible, { state: 'resolved', firedAt: { not: null } }] }, include: INCLUDE, orderBy: { resolvedAt: 'desc' }, take: RECENT }),
  ]);
  return { open: open.map(toAlertDto), recent: recent.map(toAlertDto) };
}
