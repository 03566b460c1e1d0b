import { randomUUID } from 'node:crypto';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireUnscoped } from '../permissions/team-scope';
import { parseInput } from '../validation/text';
import { assertRuleReadsNoMaskedValue } from './assert-rule-reads-no-masked-value';
import { lockOwnershipRules } from './lock-ownership-rules';
import { OWNERSHIP_AUDIT } from './ownership-audit-actions';
import { toRuleAudit, toRuleDto, ZOwnershipRuleInput, type TOwnershipRule, type TOwnershipRuleFields } from './ownership-rule-dto';

/** Adds a rule after the others (it is checked last). */
export async function createOwnershipRule({ actor, rule }: { actor: TActor; rule: TOwnershipRuleFields }): Promise<TOwnershipRule> {
  requirePermission(actor, 'teams:ownership');
  // A rule hands messages to a team, and with them a scoped actor's reach: as for queue ownership, only an unscoped actor sets it.
  requireUnscoped(actor);
  const input = parseInput(ZOwnershipRuleInput, rule);
  return prisma().$transaction(async (tx) => {
    await lockOwnershipRules(tx);
    await assertRuleReadsNoMaskedValue({ actor, rule: input, db: tx });
    if (!(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) throw new AppError('INVALID_INPUT', `No team with id ${input.teamId}`);
    const last = await tx.ownershipRule.aggregate({ _max: { position: true } });
    const row = await tx.ownershipRule.create({
      data: { id: randomUUID(), position: (last._max.position ?? 0) + 1, ...input, createdBy: actorLabel(actor) },
      include: { team: { select: { name: true } } },
    });
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: OWNERSHIP_AUDIT.created, subject: `ownership_rule:${row.id}`, after: toRuleAudit(row) });
    return toRuleDto(row);
  }, AUDITED_TRANSACTION);
}
