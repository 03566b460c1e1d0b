import { describe, expect, it } from 'vitest';
import { escapeLike, messageWhere } from './message-where';
import { buildSearchSql } from './search-sql';

describe('messageWhere', () => {
  it('leaves the search to the search query and out filters that are not set', () => {
    expect(messageWhere({ q: 'gateway', path: '$.a' })).toEqual({});
    expect(messageWhere({ source: 'dlq', group: '12' })).toEqual({ sourceQueue: 'dlq', groupId: 12n });
  });
});

describe('buildSearchSql', () => {
  it('binds every piece of user text as a parameter', () => {
    const { text, values } = buildSearchSql(
      { q: `it's "a \\ b" -x&y z'); OR DROP TABLE messages; --`, path: '$["a\'b"] = "c\'d"', source: "s'q" },
      { limit: 51 },
    );
    expect(text).not.toContain("it's");
    expect(text).not.toContain('DROP');
    expect(text).not.toContain("c'd");
    expect(text).not.toContain("s'q");
    expect(values).toContain("it's");
    expect(values).toContain('a \\ b');
    expect(values).toContain('strict $."a\'b" == "c\'d"');
    expect(text).toMatch(/^SELECT m\.id FROM messages m JOIN message_search s ON s\.message_id = m\.id WHERE s\.search_vector @@ \(/);
    expect(text).toMatch(/ORDER BY m\.id DESC LIMIT \$\d+$/);
  });

  it('matches one id-like token as an escaped substring', () => {
    const { text, values } = buildSearchSql({ q: '50%_off' }, { limit: 10 });
    expect(text).toBe('SELECT m.id FROM messages m JOIN message_search s ON s.message_id = m.id WHERE s.search_text ILIKE $1 ORDER BY m.id DESC LIMIT $2');
    expect(values).toEqual(['%50\\%\\_off%', 10]);
    expect(escapeLike('a_b%c\\d')).toBe('a\\_b\\%c\\\\d');
  });

  it('checks identity fields alone for a reader behind redaction rules', () => {
    const { text } = buildSearchSql({ q: 'card -test' }, { limit: 10, identityOnly: true });
    expect(text).toContain("to_tsvector('simple', concat_ws(' ', m.message_id, m.correlation_id, array_to_string(m.routing_keys, ' ')))");
    // The index is asked for the positive word only: an exclusion tested on bodies would leak.
    expect(text).toMatch(/s\.search_vector @@ \(\(plainto_tsquery\('simple', \$1\)\)\) AND/);
  });

  it('adds the scope, the cursor and the other filters', () => {
    const { text, values } = buildSearchSql(
      { path: '$.a', reason: 'expired', from: new Date('2026-01-01T00:00:00.000Z') },
      { limit: 5, beforeId: 99n, scope: { teamIds: ['00000000-0000-4000-8000-00000000000a'], origins: ['o'], sources: ['s'] } },
    );
    expect(text).toContain('s.body_json @? $1::jsonpath');
    expect(text).toContain('(m.origin_queue = ANY($4::text[]) OR m.source_queue = ANY($5::text[]) OR m.owner_team_id = ANY($6::uuid[]))');
    expect(text).toContain('m.id < $7::bigint');
    expect(values).toEqual(['strict $."a"', 'expired', new Date('2026-01-01T00:00:00.000Z'), ['o'], ['s'], ['00000000-0000-4000-8000-00000000000a'], '99', 5]);
  });
});
