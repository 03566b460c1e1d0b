import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { toAlertDto, type TAlert } from './alert-dto';
import { isSubjectVisible } from './require-subject-in-scope';

const INCLUDE = {
  rule: { select: { name: true, subjectKind: true, metric: true, comparison: true, windowMinutes: true, forMinutes: true } },
  notifications: { select: { event: true, state: true, attempts: true, lastStatus: true, lastError: true, nextAttemptAt: true, sentAt: true } },
} as const;

const RECENT = 20;

/** The open alerts (firing first, then pending, newest first) and the most recently resolved ones that had fired. */
export async function listAlerts({ actor }: { actor: TActor }): Promise<{ open: TAlert[]; recent: TAlert[] }> {
  requirePermission(actor, 'messages:read');
  const db = prisma();
  const [open, recent] = await Promise.all([
    db.alert.findMany({ where: { state: { not: 'resolved' } }, include: INCLUDE, orderBy: [{ state: 'asc' }, { pendingSince: 'desc' }] }),
    db.alert.findMany({ where: { state: 'resolved', firedAt: { not: null } }, include: INCLUDE, orderBy: { resolvedAt: 'desc' }, take: RECENT * 5 }),
  ]);
  const visible = (a: { subject: string }) => isSubjectVisible(actor, a.subject);
  return { open: open.filter(visible).map(toAlertDto), recent: recent.filter(visible).slice(0, RECENT).map(toAlertDto) };
}
