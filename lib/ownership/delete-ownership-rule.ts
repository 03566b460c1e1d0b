import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireUnscoped } from '../permissions/team-scope';
import { lockOwnershipRules } from './lock-ownership-rules';
import { OWNERSHIP_AUDIT } from './ownership-audit-actions';
import { toRuleAudit, toRuleDto, type TOwnershipRule } from './ownership-rule-dto';

/**
 * Deletes a rule; the rules after it move up. Messages it tagged keep their owner (the
 * rule reference is cleared by the foreign key): ownership is a fact about the message.
 */
export async function deleteOwnershipRule({ actor, id }: { actor: TActor; id: string }): Promise<TOwnershipRule> {
  requirePermission(actor, 'teams:ownership');
  requireUnscoped(actor);
  return prisma().$transaction(async (tx) => {
    await lockOwnershipRules(tx);
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await tx.ownershipRule.findUnique({ where: { id }, include: { team: { select: { name: true } } } }) : null;
    if (!row) throw new AppError('NOT_FOUND', `No ownership rule with id ${id}`);
    await tx.ownershipRule.delete({ where: { id } });
    await tx.ownershipRule.updateMany({ where: { position: { gt: row.position } }, data: { position: { decrement: 1 } } });
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: OWNERSHIP_AUDIT.deleted, subject: `ownership_rule:${id}`, before: toRuleAudit(row) });
    return toRuleDto(row);
  }, AUDITED_TRANSACTION);
}
