import { isDeepStrictEqual } from 'node:util';
import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { requireUnscoped } from '../permissions/team-scope';
import { parseInput } from '../validation/text';
import { assertRuleReadsNoMaskedValue } from './assert-rule-reads-no-masked-value';
import { lockOwnershipRules } from './lock-ownership-rules';
import { OWNERSHIP_AUDIT } from './ownership-audit-actions';
import { matchProblem, toRuleAudit, toRuleDto, ZOwnershipRuleUpdate, type TOwnershipRule, type TOwnershipRuleUpdate } from './ownership-rule-dto';

const INCLUDE = { team: { select: { name: true } } } as const;

/**
 * Changes the fields given, or moves the rule to `position` (the others shift to make
 * room). A change that changes nothing is not recorded.
 */
export async function updateOwnershipRule({ actor, id, changes }: { actor: TActor; id: string; changes: TOwnershipRuleUpdate }): Promise<TOwnershipRule> {
  requirePermission(actor, 'teams:ownership');
  requireUnscoped(actor);
  const update = parseInput(ZOwnershipRuleUpdate, changes);
  return prisma().$transaction(async (tx) => {
    await lockOwnershipRules(tx);
    const before = await findRule(tx, id);
    if (update.position !== undefined) return moveRule(tx, actor, before, update.position);

    const after = {
      teamId: update.teamId ?? before.teamId,
      matchKind: update.matchKind ?? before.matchKind,
      // A new kind starts without the old kind's key unless one is given.
      matchKey: update.matchKey !== undefined ? update.matchKey : update.matchKind !== undefined && update.matchKind !== before.matchKind ? null : before.matchKey,
      pattern: update.pattern ?? before.pattern,
      enabled: update.enabled ?? before.enabled,
    };
    const problem = matchProblem(after as Parameters<typeof matchProblem>[0]);
    if (problem) throw new AppError('INVALID_INPUT', problem);
    const { teamId, matchKind, matchKey, pattern, enabled } = before;
    if (isDeepStrictEqual(after, { teamId, matchKind, matchKey, pattern, enabled })) return toRuleDto(before);
    // What the rule matches changes: it must not read a value masked for this actor.
    if (after.matchKind !== matchKind || after.matchKey !== matchKey || after.pattern !== pattern) await assertRuleReadsNoMaskedValue({ actor, rule: after, db: tx });
    if (after.teamId !== before.teamId && !(await tx.team.findUnique({ where: { id: after.teamId }, select: { id: true } }))) {
      throw new AppError('INVALID_INPUT', `No team with id ${after.teamId}`);
    }
    const row = await tx.ownershipRule.update({ where: { id }, data: after, include: INCLUDE });
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: OWNERSHIP_AUDIT.updated, subject: `ownership_rule:${id}`, before: toRuleAudit(before), after: toRuleAudit(row) });
    return toRuleDto(row);
  }, AUDITED_TRANSACTION);
}

type TRuleRow = Prisma.OwnershipRuleGetPayload<{ include: typeof INCLUDE }>;

async function findRule(tx: Prisma.TransactionClient, id: string): Promise<TRuleRow> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await tx.ownershipRule.findUnique({ where: { id }, include: INCLUDE }) : null;
  if (!row) throw new AppError('NOT_FOUND', `No ownership rule with id ${id}`);
  return row;
}

async function moveRule(tx: Prisma.TransactionClient, actor: TActor, rule: TRuleRow, wanted: number): Promise<TOwnershipRule> {
  const ordered = await tx.ownershipRule.findMany({ orderBy: [{ position: 'asc' }, { createdAt: 'asc' }], select: { id: true, position: true } });
  const to = Math.min(wanted, ordered.length);
  const from = ordered.findIndex((r) => r.id === rule.id);
  if (from === to - 1) return toRuleDto(rule);
  const ids = ordered.map((r) => r.id);
  ids.splice(from, 1);
  ids.splice(to - 1, 0, rule.id);
  for (const [index, ruleId] of ids.entries()) {
    if (ordered.find((r) => r.id === ruleId)!.position !== index + 1) await tx.ownershipRule.update({ where: { id: ruleId }, data: { position: index + 1 } });
  }
  const row = await tx.ownershipRule.findUniqueOrThrow({ where: { id: rule.id }, include: INCLUDE });
  await recordAuditEvent(tx, {
    actor: actorLabel(actor), action: OWNERSHIP_AUDIT.reordered, subject: `ownership_rule:${rule.id}`,
    before: { position: from + 1, order: ordered.map((r) => r.id) }, after: { position: to, order: ids },
  });
  return toRuleDto(row);
}
