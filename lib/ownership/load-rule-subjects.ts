import type { Prisma } from '../db/generated/client';
import type { TRuleLike, TRuleSubject } from './evaluate-rules';
import { parseJsonPath, readJsonPath } from './match-patterns';

// What rules look at, read without carrying whole bodies or header tables: a JSON body can
// be a megabyte, and a batch of them would all sit in memory. The database projects the
// value at each JSON path the rules name (an SQL/JSON path in strict mode, so `[0]` is an
// array index and `.a` an object key, exactly as readJsonPath reads them) and each header
// the rules name; the evaluator gets those values only.

export type TProjections = { headerNames: string[]; jsonPaths: string[] };

export function projectionsOf(rules: readonly TRuleLike[]): TProjections {
  const headerNames = new Set<string>();
  const jsonPaths = new Set<string>();
  for (const r of rules) {
    if (r.matchKind === 'header' && r.matchKey) headerNames.add(r.matchKey);
    if (r.matchKind === 'json_path' && r.matchKey) jsonPaths.add(r.matchKey);
  }
  return { headerNames: [...headerNames], jsonPaths: [...jsonPaths] };
}

/** `$.a['b c'][0]` as an SQL/JSON path: `strict $."a"."b c"[0]`. */
export function toSqlJsonPath(path: string): string {
  return `strict $${parseJsonPath(path).map((step) => (typeof step === 'number' ? `[${step}]` : `.${JSON.stringify(step)}`)).join('')}`;
}

export type TSubjectRow = {
  id: bigint;
  originQueue: string | null;
  routingKeys: string[];
  deliveryRoutingKey: string;
  /** Per header name, in order: the typed value, or null when absent. */
  headerValues: unknown[] | null;
  /** Per JSON path, in order: [value], or null when the path is absent (so JSON null and absent differ). */
  jsonValues: ([unknown] | null)[] | null;
};

/** Reads the subjects of the given messages. */
export async function loadRuleSubjects(db: Pick<Prisma.TransactionClient, '$queryRaw'>, ids: readonly bigint[], p: TProjections): Promise<Map<bigint, TRuleSubject>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<TSubjectRow[]>`
    SELECT m.id, m.origin_queue AS "originQueue", m.routing_keys AS "routingKeys", m.delivery_routing_key AS "deliveryRoutingKey",
      (SELECT json_agg(m.headers -> h.name ORDER BY h.o) FROM unnest(${p.headerNames}::text[]) WITH ORDINALITY AS h(name, o)) AS "headerValues",
      (SELECT jsonb_agg(CASE WHEN v.value IS NULL THEN NULL ELSE jsonb_build_array(v.value) END ORDER BY j.o)
         FROM unnest(${p.jsonPaths.map(toSqlJsonPath)}::text[]) WITH ORDINALITY AS j(path, o)
         CROSS JOIN LATERAL (SELECT jsonb_path_query_first(s.body_json, j.path::jsonpath, '{}', true) AS value) v) AS "jsonValues"
    FROM messages m LEFT JOIN message_search s ON s.message_id = m.id
    WHERE m.id = ANY(${[...ids]}::bigint[])`;
  return new Map(rows.map((r) => [r.id, toSubject(r, p)]));
}

export function toSubject(r: Omit<TSubjectRow, 'id'>, p: TProjections): TRuleSubject {
  return {
    originQueue: r.originQueue,
    routingKeys: r.routingKeys,
    deliveryRoutingKey: r.deliveryRoutingKey,
    headerValues: new Map(p.headerNames.map((name, i) => [name, r.headerValues?.[i] ?? undefined])),
    jsonValues: new Map(p.jsonPaths.map((path, i) => {
      const found = r.jsonValues?.[i];
      return [path, Array.isArray(found) ? { value: found[0] } : undefined];
    })),
  };
}

/** The same subject computed in memory from a whole message: what the database projection must agree with. */
export function subjectOf(m: { originQueue: string | null; routingKeys: string[]; deliveryRoutingKey: string; headers: unknown; bodyJson: unknown }, p: TProjections): TRuleSubject {
  const headers = typeof m.headers === 'object' && m.headers !== null ? (m.headers as Record<string, unknown>) : {};
  return {
    originQueue: m.originQueue,
    routingKeys: m.routingKeys,
    deliveryRoutingKey: m.deliveryRoutingKey,
    headerValues: new Map(p.headerNames.map((name) => [name, Object.hasOwn(headers, name) ? headers[name] : undefined])),
    jsonValues: new Map(p.jsonPaths.map((path) => {
      if (m.bodyJson === null || m.bodyJson === undefined) return [path, undefined];
      const value = readJsonPath(m.bodyJson, parseJsonPath(path));
      return [path, value === undefined ? undefined : { value }];
    })),
  };
}
