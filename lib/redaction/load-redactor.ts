import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { canActor } from '../permissions/require-permission';
import { createRedactor, type TRedactor, type TRuleRow } from './create-redactor';

// Rules are read from the database on every call, not cached: web replicas are stateless,
// and a rule an admin just added must mask on every replica at once. The table holds a
// handful of rows; one indexed read per message request costs less than a cache that
// could serve a secret from a stale copy (docs/decisions/0011-redaction.md).

type TDb = Pick<Prisma.TransactionClient, 'redactionRule'>;

export async function loadRedactionRules(db: TDb = prisma()): Promise<TRuleRow[]> {
  return db.redactionRule.findMany({ select: { kind: true, pattern: true }, orderBy: { createdAt: 'asc' } });
}

/**
 * The masks this actor reads through, or null when there is nothing to mask for them:
 * they hold messages:read-sensitive (auditors, admins, the worker, the CLI), or no rule exists.
 */
export async function loadRedactor(actor: TActor, db: TDb = prisma()): Promise<TRedactor | null> {
  if (canActor(actor, 'messages:read-sensitive')) return null;
  const rules = await loadRedactionRules(db);
  return rules.length === 0 ? null : createRedactor(rules);
}
