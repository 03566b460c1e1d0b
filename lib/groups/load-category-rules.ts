import type { PoolClient } from 'pg';
import type { Prisma } from '../db/generated/client';
import type { TCategoryRule, TRuleField } from './categories';

// The admin rules in the order they are checked. Read fresh by every classifier step and
// every recomputation: rules are few, and a cache would differ between replicas.

type TRuleRow = { id: string; field: string; pattern: string; category: string; suggested_action: string | null };

const SELECT_RULES = 'SELECT id::text, field, pattern, category, suggested_action FROM failure_category_rules ORDER BY position, created_at, id';

function toRule(r: TRuleRow): TCategoryRule {
  return { id: r.id, field: r.field as TRuleField, pattern: r.pattern, category: r.category as TCategoryRule['category'], suggestedAction: r.suggested_action };
}

export async function loadCategoryRules(client: PoolClient | Prisma.TransactionClient): Promise<TCategoryRule[]> {
  if ('$queryRawUnsafe' in client) return (await client.$queryRawUnsafe<TRuleRow[]>(SELECT_RULES)).map(toRule);
  return (await client.query<TRuleRow>(SELECT_RULES)).rows.map(toRule);
}
