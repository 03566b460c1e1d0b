import pg from 'pg';

// PostgreSQL's autovacuum, done by the bench for its own database when the server runs with
// autovacuum off (this machine's conf.d/90-ci.conf turns it off; PostgreSQL's default, and
// every production server the console is meant for, has it on). Without it no table is
// ever analyzed or vacuumed during a run: the planner plans a table filled a minute ago
// with statistics from when it was empty, and scans wade through every dead row version an
// update left (420,000 dead rows in messages after one replay measure). The figures would
// then be those of a misconfigured server, not of the console.
//
// Every CHECK_MS it applies autovacuum's default rules to each table of the bench database:
// VACUUM (ANALYZE) when dead rows pass 50 + 20 % of the table's rows (pg_class.reltuples;
// autovacuum_vacuum_threshold, autovacuum_vacuum_scale_factor), ANALYZE when rows changed
// since the last analyze pass 50 + 10 % (autovacuum_analyze_*). One table at a time, on one
// connection, as one autovacuum worker would, throttled as autovacuum is (the server's
// autovacuum_vacuum_cost_delay and _limit: 2 ms after every 200 cost units by default; a
// plain VACUUM is not throttled at all and took a core from the measures in bursts of
// seconds); its CPU is spent on the same cores as the measures', as autovacuum's would be.

const CHECK_MS = 15_000;

export type TAutovacuumStandIn = { stop: () => Promise<{ vacuums: number; analyzes: number } | null> };

export async function startAutovacuumStandIn(databaseUrl: string, log: (line: string) => void): Promise<TAutovacuumStandIn> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A connection the server drops must not end the bench: the next pass fails and says so.
  client.on('error', (error) => log(`autovacuum stand-in: ${error.message}`));
  await client.connect();
  const { rows: [setting] } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
  if (setting?.autovacuum === 'on') {
    await client.end();
    return { stop: async () => null };
  }
  log('this PostgreSQL runs with autovacuum off: the bench applies its default thresholds to its own database every 15 s');
  // Autovacuum gives way to whoever needs a conflicting lock (an index build of the seed); so
  // does this, by not waiting for one.
  await client.query(`SET lock_timeout = '2s'`);
  const { rows: [cost] } = await client.query<{ delay: string; limit: string }>(`
    SELECT current_setting('autovacuum_vacuum_cost_delay') AS delay,
      CASE WHEN current_setting('autovacuum_vacuum_cost_limit') = '-1' THEN current_setting('vacuum_cost_limit')
        ELSE current_setting('autovacuum_vacuum_cost_limit') END AS limit`);
  if (cost) {
    await client.query(`SELECT set_config('vacuum_cost_delay', $1, false), set_config('vacuum_cost_limit', $2, false)`, [cost.delay, cost.limit]);
  }
  let vacuums = 0;
  let analyzes = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const once = async () => {
    // Sized by pg_class.reltuples, as autovacuum sizes them (relation_needs_vacanalyze), not
    // by the statistics collector's live count: a database copied from a template starts
    // with no collected counts but with its tables' reltuples.
    const { rows } = await client.query<{ name: string; vacuum: boolean; analyze: boolean }>(`
      SELECT quote_ident(s.relname) AS name,
        s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) AS vacuum,
        s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) AS analyze
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = 'public'`);
    for (const t of rows) {
      if (stopping) return;
      if (!t.vacuum && !t.analyze) continue;
      const started = performance.now();
      try {
        await client.query(t.vacuum ? `VACUUM (ANALYZE) ${t.name}` : `ANALYZE ${t.name}`);
      } catch (error) {
        if ((error as { code?: string }).code === '42P01') continue; // dropped since the list was read (a measure's scratch table)
        throw error;
      }
      if (t.vacuum) vacuums++;
      else analyzes++;
      log(`autovacuum stand-in: ${t.vacuum ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${t.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      pass = once().catch((error: Error) => { if (!stopping) log(`autovacuum stand-in: ${error.message}`); }).finally(() => { if (!stopping) schedule(); });
    }, CHECK_MS);
  };
  schedule();
  let stopped: Promise<{ vacuums: number; analyzes: number }> | undefined;
  return {
    /** Stops it once; a later call answers what the first one did. */
    stop() {
      stopped ??= (async () => {
        stopping = true;
        if (timer) clearTimeout(timer);
        // Ending the session ends a throttled VACUUM in progress, as dropping a database ends
        // autovacuum's; nothing is lost but the pass.
        await client.end();
        await pass;
        return { vacuums, analyzes };
      })();
      return stopped;
    },
  };
}
