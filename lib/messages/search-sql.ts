import type { TTeamScope } from '../actor';
import type { TMessageFilters } from './message-dto';
import { parsePathFilter, toJsonPath } from './parse-json-path-filter';
import { parseSearch, type TSearchClause, type TSearchQuery, type TSearchTerm } from './parse-search';

// The search part of the message filters as one SQL statement: full text on the generated
// search_vector (GIN), a lone id-like token as a substring of search_text (trigram GIN),
// the JSON path filter on body_json (GIN jsonb_path_ops), all three in message_search (one
// row per message, joined by id: docs/decisions/0020-message-search-table.md), the other filters and the team
// scope alongside, newest first, capped. Every piece of user text is a bound parameter fed
// to plainto/phraseto_tsquery, ILIKE (wildcards escaped) or ::jsonpath (written by
// toJsonPath, keys and strings quoted by us). See docs/decisions/0015-search.md.

export type TSearchSqlOptions = {
  /** Rows to return at most (the caller asks for one more than it keeps to know it was capped). */
  limit: number;
  /** Only ids below this (the list's keyset cursor). */
  beforeId?: bigint;
  scope?: TTeamScope | null;
  /**
   * Free text matches only message id, correlation id and routing keys: for actors that
   * read through redaction rules, so a search cannot test what a mask hides.
   */
  identityOnly?: boolean;
};

export type TSql = { text: string; values: unknown[] };

/** Free text is matched literally by LIKE: its wildcards are escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const IDENTITY_TEXT = `concat_ws(' ', m.message_id, m.correlation_id, array_to_string(m.routing_keys, ' '))`;

export function hasSearch(f: TMessageFilters): boolean {
  return Boolean(f.q || f.path);
}

export function buildSearchSql(f: TMessageFilters, options: TSearchSqlOptions): TSql {
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };

  const termQuery = (term: TSearchTerm) => {
    if (term.kind === 'phrase') return `phraseto_tsquery('simple', ${bind(term.text)})`;
    // The lexeme is letters and digits only (parse-search.ts), quoted all the same.
    if (term.kind === 'prefix') return `to_tsquery('simple', ${bind(`'${term.text}':*`)})`;
    return `plainto_tsquery('simple', ${bind(term.text)})`;
  };
  const clauseQuery = (c: TSearchClause) => (c.exclude ? `(!! ${termQuery(c.term)})` : `(${c.anyOf.map(termQuery).join(' || ')})`);
  const tsQuery = (clauses: TSearchClause[]) => clauses.map(clauseQuery).join(' && ');

  const where: string[] = [];
  if (f.q) where.push(searchCondition(parseSearch(f.q), options.identityOnly === true, { bind, tsQuery }));
  if (f.path) {
    const filter = parsePathFilter(f.path);
    // @? asks "does the path exist", @@ evaluates the predicate; both are served by the GIN index.
    where.push(`s.body_json ${filter.compare ? '@@' : '@?'} ${bind(toJsonPath(filter))}::jsonpath`);
  }
  if (f.source) where.push(`m.source_queue = ${bind(f.source)}`);
  if (f.origin) where.push(`m.origin_queue = ${bind(f.origin)}`);
  if (f.reason) where.push(`m.reason = ${bind(f.reason)}::death_reason`);
  if (f.status) where.push(`m.status = ${bind(f.status)}::message_status`);
  if (f.from) where.push(`m.ingested_at >= ${bind(f.from)}::timestamptz`);
  if (f.to) where.push(`m.ingested_at <= ${bind(f.to)}::timestamptz`);
  if (f.group) where.push(`m.group_id = ${bind(f.group)}::bigint`);
  if (f.owner) where.push(`m.owner_team_id = ${bind(f.owner)}::uuid`);
  if (options.scope) {
    // The same three ways in as scopeMessageWhere (lib/permissions/team-scope.ts): origin, source, or an ownership rule's team.
    where.push(
      `(m.origin_queue = ANY(${bind(options.scope.origins)}::text[]) OR m.source_queue = ANY(${bind(options.scope.sources)}::text[])`
        + ` OR m.owner_team_id = ANY(${bind(options.scope.teamIds)}::uuid[]))`,
    );
  }
  if (options.beforeId !== undefined) where.push(`m.id < ${bind(options.beforeId.toString())}::bigint`);

  const text = `SELECT m.id FROM messages m JOIN message_search s ON s.message_id = m.id WHERE ${where.length ? where.join(' AND ') : 'true'} ORDER BY m.id DESC LIMIT ${bind(options.limit)}`;
  return { text, values };
}

function searchCondition(
  query: TSearchQuery,
  identityOnly: boolean,
  { bind, tsQuery }: { bind: (v: unknown) => string; tsQuery: (c: TSearchClause[]) => string },
): string {
  if (query.substring !== null) {
    // One id-like token: literal, case-insensitive, anywhere (trigram index), as ids were
    // always matched; the word parser would split "ORD-17" into "ord" and "17".
    const pattern = bind(`%${escapeLike(query.substring)}%`);
    return identityOnly ? `(s.search_text ILIKE ${pattern} AND ${IDENTITY_TEXT} ILIKE ${pattern})` : `s.search_text ILIKE ${pattern}`;
  }
  if (!identityOnly) return `s.search_vector @@ (${tsQuery(query.clauses)})`;
  // The index finds candidates by the positive words (an exclusion checked against the whole
  // text would itself reveal what a body holds); the identity fields alone decide.
  const positive = query.clauses.filter((c) => !c.exclude);
  return `(s.search_vector @@ (${tsQuery(positive)}) AND to_tsvector('simple', ${IDENTITY_TEXT}) @@ (${tsQuery(query.clauses)}))`;
}
