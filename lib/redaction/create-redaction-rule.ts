import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db/is-unique-violation';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { toRedactionRuleAudit, toRedactionRuleDto, ZRedactionRuleInput, type TRedactionRule, type TRedactionRuleInput } from './redaction-rule-dto';

function ruleExists(kind: string, pattern: string) {
  return new AppError('CONFLICT', `A ${kind === 'header' ? 'header' : 'JSON path'} rule ${JSON.stringify(pattern)} already exists`);
}

/** Adds a rule; it masks from the next read on, on every replica (rules are not cached). */
export async function createRedactionRule({ actor, ...input }: { actor: TActor } & TRedactionRuleInput): Promise<TRedactionRule> {
  requirePermission(actor, 'redaction:manage');
  const { kind, pattern } = parseInput(ZRedactionRuleInput, input);
  try {
    return await prisma().$transaction(async (tx) => {
      if (await tx.redactionRule.findUnique({ where: { kind_pattern: { kind, pattern } } })) throw ruleExists(kind, pattern);
      const rule = toRedactionRuleDto(await tx.redactionRule.create({ data: { kind, pattern, createdBy: actorLabel(actor) } }));
      await recordAuditEvent(tx, {
        actor: actorLabel(actor), action: 'redaction_rule.created', subject: `redaction_rule:${rule.id}`, after: toRedactionRuleAudit(rule),
      });
      return rule;
    }, AUDITED_TRANSACTION);
  } catch (error) {
    // Two identical adds at once: the loser meets the unique index and gets the same answer.
    if (isUniqueViolation(error)) throw ruleExists(kind, pattern);
    throw error;
  }
}
