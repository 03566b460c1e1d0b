import type { PoolClient } from 'pg';
import { prisma } from '../db/prisma';
import { log } from '../log';
import type { TDeathReason } from '../ingest/parse-death-headers';
import { stripNul } from '../ingest/typed-headers';
import { categoriseGroup, POISON_DEATH_COUNT, type TCategoryRule } from './categories';
import { holdCategoryLockShared } from './category-lock';
import { cutWithEllipsis } from './cut-text';
import { describeFailure, type TFailure } from './failure-signature';
import { readException } from './read-exception';
import { loadCategoryRules } from './load-category-rules';

// The worker's classifier: one step puts up to `batch` ungrouped messages (new ones and
// rows stored before grouping existed alike) in their failure groups. Rows are claimed
// FOR UPDATE SKIP LOCKED, so replicas running the same step take different rows, and the
// group counters are added to in the same transaction that sets messages.group_id: a
// message is counted once, by whoever committed its group_id.

const MAX_MESSAGE_EXCEPTION = 1000;

type TRow = { id: string; origin_queue: string | null; reason: TDeathReason; headers: unknown; death_count: number; ingested_at: Date };

type TGroupBatch = TFailure & { ids: string[]; first: Date; last: Date; sample: string; repeatedDeaths: boolean };

const UPSERT_GROUPS = `
INSERT INTO failure_groups (signature, origin_queue, reason, exception_type, exception_message, framework,
  first_seen_at, last_seen_at, message_count, sample_message_id, category, suggested_action, category_rule_id, repeated_deaths)
SELECT decode(g.signature, 'hex'), g.origin_queue, g.reason::death_reason, g.exception_type, g.exception_message, g.framework,
  g.first_seen_at, g.last_seen_at, g.message_count, g.sample_message_id, g.category, g.suggested_action, g.category_rule_id, g.repeated_deaths
FROM jsonb_to_recordset($1::jsonb) AS g(signature text, origin_queue text, reason text, exception_type text,
  exception_message text, framework text, first_seen_at timestamptz, last_seen_at timestamptz, message_count bigint,
  sample_message_id bigint, category text, suggested_action text, category_rule_id uuid, repeated_deaths boolean, ord int)
ORDER BY g.ord
ON CONFLICT (signature) DO UPDATE SET
  message_count = failure_groups.message_count + EXCLUDED.message_count,
  first_seen_at = LEAST(failure_groups.first_seen_at, EXCLUDED.first_seen_at),
  last_seen_at = GREATEST(failure_groups.last_seen_at, EXCLUDED.last_seen_at),
  sample_message_id = GREATEST(failure_groups.sample_message_id, EXCLUDED.sample_message_id),
  framework = COALESCE(failure_groups.framework, EXCLUDED.framework),
  repeated_deaths = failure_groups.repeated_deaths OR EXCLUDED.repeated_deaths,
  -- Only the poison rule depends on more than the signature: a group found unknown
  -- before may now have a message that died again and again.
  category = CASE WHEN failure_groups.category = 'unknown' THEN EXCLUDED.category ELSE failure_groups.category END,
  suggested_action = CASE WHEN failure_groups.category = 'unknown' THEN EXCLUDED.suggested_action ELSE failure_groups.suggested_action END,
  category_rule_id = CASE WHEN failure_groups.category = 'unknown' THEN EXCLUDED.category_rule_id ELSE failure_groups.category_rule_id END
RETURNING id, encode(signature, 'hex') AS signature`;

const SET_GROUPS = `
UPDATE messages m SET group_id = v.group_id, exception_type = v.exception_type, exception_message = v.exception_message
FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, group_id bigint, exception_type text, exception_message text)
WHERE m.id = v.id`;

function rawExceptionMessage(headers: unknown, customHeader: string | undefined): string | null {
  const message = readException({ headers, customHeader })?.message;
  if (!message) return null;
  const text = stripNul(message).trim();
  return cutWithEllipsis(text, MAX_MESSAGE_EXCEPTION);
}

function groupRows(rows: TRow[], customHeader: string | undefined) {
  const groups = new Map<string, TGroupBatch>();
  const perMessage: { id: string; signature: string; exception_type: string | null; exception_message: string | null }[] = [];
  for (const row of rows) {
    const failure = describeFailure({ originQueue: row.origin_queue, reason: row.reason, headers: row.headers, customHeader });
    const key = failure.signature.toString('hex');
    const repeated = row.death_count >= POISON_DEATH_COUNT;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { ...failure, ids: [row.id], first: row.ingested_at, last: row.ingested_at, sample: row.id, repeatedDeaths: repeated });
    } else {
      g.ids.push(row.id);
      if (row.ingested_at < g.first) g.first = row.ingested_at;
      if (row.ingested_at > g.last) g.last = row.ingested_at;
      if (BigInt(row.id) > BigInt(g.sample)) g.sample = row.id;
      g.repeatedDeaths ||= repeated;
    }
    perMessage.push({ id: row.id, signature: key, exception_type: failure.exceptionType, exception_message: rawExceptionMessage(row.headers, customHeader) });
  }
  return { groups, perMessage };
}

function toGroupRecords(groups: Map<string, TGroupBatch>, rules: readonly TCategoryRule[]) {
  // Sorted by signature: two steps upserting the same groups lock them in one order.
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([signature, g], ord) => {
    const c = categoriseGroup({ reason: g.reason, exceptionType: g.exceptionType, exceptionMessage: g.exceptionMessage, repeatedDeaths: g.repeatedDeaths }, rules);
    return {
      ord, signature, origin_queue: g.originQueue, reason: g.reason, exception_type: g.exceptionType, exception_message: g.exceptionMessage,
      framework: g.framework, first_seen_at: g.first, last_seen_at: g.last, message_count: g.ids.length, sample_message_id: g.sample,
      category: c.category, suggested_action: c.suggestedAction, category_rule_id: c.categoryRuleId, repeated_deaths: g.repeatedDeaths,
    };
  });
}

async function writeGroups(client: PoolClient, rows: TRow[], rules: readonly TCategoryRule[], customHeader: string | undefined): Promise<void> {
  const { groups, perMessage } = groupRows(rows, customHeader);
  const upserted = await client.query<{ id: string; signature: string }>(UPSERT_GROUPS, [JSON.stringify(toGroupRecords(groups, rules))]);
  const groupIds = new Map(upserted.rows.map((r) => [r.signature, String(r.id)]));
  const updates = perMessage.map(({ signature, ...m }) => ({ ...m, group_id: groupIds.get(signature)! }));
  await client.query(SET_GROUPS, [JSON.stringify(updates)]);
}

/**
 * Groups `rows` under a savepoint. A batch that fails is retried in halves, so one row the
 * database refuses cannot block every row claimed with it (step after step, for ever); a
 * single row that still fails is grouped by its origin queue and reason alone, its
 * exception text left out, and logged.
 */
async function writeIsolated(client: PoolClient, rows: TRow[], rules: readonly TCategoryRule[], customHeader: string | undefined): Promise<void> {
  await client.query('SAVEPOINT classify_rows');
  try {
    await writeGroups(client, rows, rules, customHeader);
    await client.query('RELEASE SAVEPOINT classify_rows');
    return;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT classify_rows');
    await client.query('RELEASE SAVEPOINT classify_rows');
    if (rows.length === 1) {
      log.error('Classifier: message grouped without its exception text, which the database refused', { messageId: rows[0]!.id, error });
      await writeGroups(client, [{ ...rows[0]!, headers: null }], rules, undefined);
      return;
    }
  }
  const half = Math.ceil(rows.length / 2);
  await writeIsolated(client, rows.slice(0, half), rules, customHeader);
  await writeIsolated(client, rows.slice(half), rules, customHeader);
}

/** One classifier step; returns how many messages it grouped (`batch` means there may be more). */
export async function classifyMessages({ batch, customHeader }: { batch: number; customHeader?: string }): Promise<number> {
  const client = await prisma().pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<TRow>(
      `SELECT id::text, origin_queue, reason::text AS reason, headers, death_count, ingested_at
       FROM messages WHERE group_id IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batch],
    );
    if (rows.length === 0) {
      await client.query('COMMIT');
      return 0;
    }
    await holdCategoryLockShared(client);
    const rules = await loadCategoryRules(client);
    await writeIsolated(client, rows, rules, customHeader);
    await client.query('COMMIT');
    return rows.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => { broken = true; });
    throw error;
  } finally {
    client.release(broken);
  }
}
