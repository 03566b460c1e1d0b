import { z } from 'zod';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { requireUnscopedSourceChange } from './require-unscoped-source-change';

const flag = (name: string) => z.boolean({ error: `${name} must be true or false` }).optional();

/** The body of PATCH /api/v1/sources/{queue}: the settings to change. */
export const ZSourceUpdate = z
  .strictObject({
    /** Replays, redirects and discards of its messages need a second person's approval (lib/approvals). */
    protected: flag('protected'),
    /** New messages an ownership rule gives a team are redirected to it by the worker (lib/ownership). */
    autoRedirect: flag('autoRedirect'),
    /** With autoRedirect: new messages no rule matches are redirected to every team. */
    unmatchedToAllTeams: flag('unmatchedToAllTeams'),
  })
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'nothing to change: give protected, autoRedirect or unmatchedToAllTeams');
export type TSourceUpdate = z.input<typeof ZSourceUpdate>;

export type TSourceSettings = { queue: string; protected: boolean; autoRedirect: boolean; unmatchedToAllTeams: boolean };
type TSetting = Exclude<keyof TSourceSettings, 'queue'>;

/**
 * Changes a source's settings. The audit event names only what changed (with the queue);
 * setting what is set records nothing.
 */
export async function updateSource({ actor, queue, changes }: { actor: TActor; queue: string; changes: TSourceUpdate }): Promise<TSourceSettings> {
  requirePermission(actor, 'sources:manage');
  requireUnscopedSourceChange(actor);
  const wanted = parseInput(ZSourceUpdate, changes);
  return prisma().$transaction(async (tx) => {
    // Locked, so the "before" recorded is the row this changes.
    const rows = await tx.$queryRaw<TSourceSettings[]>`
      SELECT queue, protected, auto_redirect AS "autoRedirect", unmatched_to_all_teams AS "unmatchedToAllTeams"
      FROM sources WHERE queue = ${queue} FOR UPDATE`;
    const current = rows[0];
    if (!current) throw new AppError('NOT_FOUND', `No source named ${JSON.stringify(queue)}`);
    const changed = (Object.keys(wanted) as TSetting[]).filter((k) => wanted[k] !== undefined && wanted[k] !== current[k]);
    if (changed.length === 0) return current;
    const data = Object.fromEntries(changed.map((k) => [k, wanted[k]!])) as Partial<Record<TSetting, boolean>>;
    await tx.source.update({ where: { queue }, data });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'source.updated', subject: `source:${queue}`,
      before: { queue, ...Object.fromEntries(changed.map((k) => [k, current[k]])) }, after: { queue, ...data }, sourceQueue: queue,
    });
    return { ...current, ...data };
  }, AUDITED_TRANSACTION);
}
