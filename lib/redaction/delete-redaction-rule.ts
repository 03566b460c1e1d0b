import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { toRedactionRuleAudit, toRedactionRuleDto, type TRedactionRule } from './redaction-rule-dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Removes a rule: the values it masked are shown in clear again from the next read on. Returns it as it was. */
export async function deleteRedactionRule({ actor, id }: { actor: TActor; id: string }): Promise<TRedactionRule> {
  requirePermission(actor, 'redaction:manage');
  const notFound = () => new AppError('NOT_FOUND', `No redaction rule with id ${JSON.stringify(id.slice(0, 40))}`);
  if (!UUID.test(id)) throw notFound();
  return prisma().$transaction(async (tx) => {
    const row = await tx.redactionRule.findUnique({ where: { id } });
    // Of two concurrent deletes, the second deletes nothing: it is told so, and records nothing.
    if (!row || (await tx.redactionRule.deleteMany({ where: { id } })).count === 0) throw notFound();
    const rule = toRedactionRuleDto(row);
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'redaction_rule.deleted', subject: `redaction_rule:${rule.id}`, before: toRedactionRuleAudit(rule),
    });
    return rule;
  }, AUDITED_TRANSACTION);
}
