import pg from 'pg';
import { quoteIdent } from '../db/quote-ident';

// "Changes nothing", measured: every table of the public schema with its row count and a
// digest of its content (each row as JSON text, sorted, hashed), taken before and after a
// request. The audit table is a table like the others, so a refused request that wrote an
// audit event shows up too. A sequence advanced by a failed insert is not content.

export type TDbSnapshot = Map<string, { rows: number; digest: string }>;

export type TSnapshotOptions = {
  /** Tables left out: rows a caller expects to change for reasons other than the request. */
  ignore?: string[];
  /** Columns left out of a table's digest, e.g. an informational last-use time a read may write. */
  ignoreColumns?: Record<string, string[]>;
};

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** One statement for the whole database: a snapshot costs one round trip, whatever the number of tables. */
async function snapshotStatement(client: pg.Client, { ignore = [], ignoreColumns = {} }: TSnapshotOptions): Promise<string> {
  const { rows } = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  return rows
    .filter(({ name }) => !ignore.includes(name))
    .map(({ name }) => {
      const dropped = `ARRAY[${(ignoreColumns[name] ?? []).map(literal).join(', ')}]::text[]`;
      return `SELECT ${literal(name)} AS name, count(*)::int AS rows, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS digest
        FROM (SELECT (to_jsonb(t) - ${dropped})::text AS r FROM ${quoteIdent(name)} t) AS ${quoteIdent(`${name}_rows`)}`;
    })
    .join('\nUNION ALL\n');
}

/** A connection that takes snapshots of one database until closed. */
export async function openDbSnapshots(databaseUrl: string, options: TSnapshotOptions = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let statement: string | undefined;
  return {
    async take(): Promise<TDbSnapshot> {
      // Tables are listed once: the schema does not change while a suite runs.
      statement ??= await snapshotStatement(client, options);
      const { rows } = await client.query<{ name: string; rows: number; digest: string }>(statement);
      return new Map(rows.map((r) => [r.name, { rows: r.rows, digest: r.digest }]));
    },
    close: () => client.end(),
  };
}

export async function snapshotDatabase(databaseUrl: string, options: TSnapshotOptions = {}): Promise<TDbSnapshot> {
  const snapshots = await openDbSnapshots(databaseUrl, options);
  try {
    return await snapshots.take();
  } finally {
    await snapshots.close();
  }
}

/** The tables that differ, each as "name: 3 → 4 rows" or "name: content changed"; [] when nothing changed. */
export function diffSnapshots(before: TDbSnapshot, after: TDbSnapshot): string[] {
  const changes: string[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(name);
    const b = after.get(name);
    if (!a || !b) changes.push(`${name}: table ${a ? 'dropped' : 'created'}`);
    else if (a.rows !== b.rows) changes.push(`${name}: ${a.rows} → ${b.rows} rows`);
    else if (a.digest !== b.digest) changes.push(`${name}: content changed`);
  }
  return changes;
}
