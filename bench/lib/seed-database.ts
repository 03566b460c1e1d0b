import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createDatabaseIfMissing, dropDatabase, migrate } from '../../lib/db/migrate';
import { quoteIdent } from '../../lib/db/quote-ident';
import { testDatabaseUrl } from '../../lib/testing/test-database';
import { seedMessages, type TSeedResult } from './seed';

// The stored messages of the latency measures (queries, paced-replay) live in a database of
// their own, apart from the one the throughput and memory measures write to: the seed drops
// and rebuilds the secondary indexes of messages for its load, and a worker ingesting into
// the same tables meanwhile waited on those locks and scanned without its dedupe index.
//
// Seeding a million rows takes about ten minutes, most of it the single-threaded trigram
// GIN build, so at full sizes the seeded database is kept as a fixture between runs,
// dlq_benchseed_<stored>_<key>, and each run measures on a copy of it (CREATE DATABASE ...
// TEMPLATE, a file copy): the latency measures write (a paced replay leaves jobs and audit
// events, which nobody may delete), the fixture never changes. The key hashes the stored
// size and every file the seeded rows are built from: the migrations, the worker's
// row-building and grouping code and the seed, so a change to any of them seeds afresh.
// One fixture per size is kept: building one drops those of the same size built from other
// code, and builds a killed run left. `--fresh-seed` drops the fixture first. Smoke runs
// seed a throwaway database.

/** Queue names of the seeded rows start with this; nothing is declared on the broker. */
export const SEED_PREFIX = 'bench.seed';
const FIXTURE_PREFIX = 'dlq_benchseed_';
/** A run's own copy: dlq_benchrun_<unix seconds>_<random>. */
const RUN_PREFIX = 'dlq_benchrun_';
/** A build or a copy a run left behind (killed mid-seed or mid-run) is dropped once it is this old. */
const STALE_SECONDS = 3 * 3600;
const ROOT = path.resolve(import.meta.dirname, '../..');
const KEY_SOURCES = ['prisma/migrations', 'lib/ingest', 'lib/groups', 'lib/testing/faults/seed.ts', 'bench/lib/seed.ts'];

export type TSeedDatabase = {
  url: string;
  seeded: TSeedResult;
  /** 'fixture' when an existing fixture was copied, 'seeded' when this run seeded. */
  source: 'fixture' | 'seeded';
  copySeconds: number;
  /** Drops this run's database (never the fixture). */
  drop: () => Promise<void>;
};

async function filesUnder(relative: string): Promise<string[]> {
  const full = path.join(ROOT, relative);
  const entries = await readdir(full, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR') return null;
    throw error;
  });
  if (entries === null) return [relative];
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(path.join(relative, e.name)) : [path.join(relative, e.name)])));
  return nested.flat();
}

/** The fixture's key: the stored size and the content of everything the seeded rows are built from. */
export async function seedKey(stored: number): Promise<string> {
  const files = (await Promise.all(KEY_SOURCES.map(filesUnder))).flat().filter((f) => !/\.test\.ts$/.test(f)).sort();
  const hash = createHash('sha256').update(`stored=${stored}\n`);
  for (const file of files) hash.update(`${file}\n`).update(await readFile(path.join(ROOT, file))).update('\n');
  return hash.digest('hex').slice(0, 16);
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function seedInto(name: string, stored: number, log: (line: string) => void): Promise<TSeedResult> {
  const url = testDatabaseUrl(name);
  await createDatabaseIfMissing(url);
  await migrate({ databaseUrl: url });
  return seedMessages({ databaseUrl: url, prefix: SEED_PREFIX, log }, stored);
}

/** The fixture's seed result, from its database comment, or null when there is none (or an unfinished one). */
async function readFixture(admin: pg.Client, name: string): Promise<TSeedResult | null> {
  const { rows } = await admin.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [name]);
  if (!rows[0]?.comment) return null;
  try {
    return JSON.parse(rows[0].comment) as TSeedResult;
  } catch {
    return null;
  }
}

/**
 * Drops the databases whose names start with `prefix` and that `pick` picks, one at a time.
 * One in use by another run stays (DROP without FORCE fails), and says so.
 */
async function dropPicked(admin: pg.Client, prefix: string, pick: (name: string) => boolean, log: (line: string) => void) {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix]);
  for (const { datname } of rows.filter((r) => pick(r.datname))) {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)}`).then(
      () => log(`seed: dropped ${datname}, left by an earlier run`),
      (error: Error) => log(`seed: left ${datname} (${error.message})`),
    );
  }
}

/** A name stamped with unix seconds (`stamp` captures them) that are STALE_SECONDS old. */
const staleStamp = (name: string, stamp: RegExp) => {
  const at = stamp.exec(name)?.[1];
  return at !== undefined && Date.now() / 1000 - Number(at) >= STALE_SECONDS;
};

/** The fixtures of this size built from other code, and builds a killed run left (of any size); fixtures of other sizes stay. */
function pruneFixtures(admin: pg.Client, prefix: string, stored: number, keep: string, log: (line: string) => void) {
  const BUILD = /_b(\d+)$/;
  return dropPicked(admin, prefix, (name) => name !== keep && (BUILD.test(name) ? staleStamp(name, BUILD) : name.startsWith(`${prefix}${stored}_`)), log);
}

/** Copies killed runs left (a copy is as large as the fixture); a run's drop() removes its own. */
function pruneRunCopies(admin: pg.Client, log: (line: string) => void) {
  return dropPicked(admin, RUN_PREFIX, (name) => staleStamp(name, /^dlq_benchrun_(\d+)_/), log);
}

/** CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template: another run copying it, say. */
async function copyFixture(admin: pg.Client, fixture: string, copy: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(copy)} TEMPLATE ${quoteIdent(fixture)} STRATEGY FILE_COPY`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 60) throw error; // 55006: object in use
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export type TSeedDatabaseOptions = {
  stored: number;
  /** Keep the seeded database as a fixture for later runs and measure on a copy. */
  keep: boolean;
  /** Drop the kept fixture first. */
  fresh: boolean;
  log: (line: string) => void;
  /** Fixture names start with this (tests keep theirs apart from the bench's). */
  fixturePrefix?: string;
};

export async function prepareSeedDatabase(options: TSeedDatabaseOptions): Promise<TSeedDatabase> {
  const { stored, log } = options;
  const run = `${RUN_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  const url = testDatabaseUrl(run);
  const drop = () => dropDatabase(url);
  await withAdmin((admin) => pruneRunCopies(admin, log));
  if (!options.keep) {
    const seeded = await seedInto(run, stored, log).catch(async (error: unknown) => {
      await drop().catch(() => {});
      throw error;
    });
    return { url, seeded, source: 'seeded', copySeconds: 0, drop };
  }

  const prefix = options.fixturePrefix ?? FIXTURE_PREFIX;
  const fixture = `${prefix}${stored}_${await seedKey(stored)}`;
  let seeded = await withAdmin(async (admin) => {
    if (options.fresh) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(fixture)} WITH (FORCE)`);
    return readFixture(admin, fixture);
  });
  let source: TSeedDatabase['source'] = 'fixture';
  if (seeded) {
    log(`seed: copying the fixture ${fixture} (${seeded.total} messages, seeded earlier in ${Math.round(seeded.seconds)} s; --fresh-seed seeds again)`);
  } else {
    source = 'seeded';
    const build = `${fixture}_b${Math.floor(Date.now() / 1000)}`;
    await withAdmin((admin) => pruneFixtures(admin, prefix, stored, fixture, log));
    log(`seed: no fixture for this size and code; seeding ${build}, kept as ${fixture} for later runs`);
    try {
      seeded = await seedInto(build, stored, log);
      await withAdmin(async (admin) => {
        await admin.query(`COMMENT ON DATABASE ${quoteIdent(build)} IS ${pg.escapeLiteral(JSON.stringify(seeded))}`);
        await admin.query(`ALTER DATABASE ${quoteIdent(build)} RENAME TO ${quoteIdent(fixture)}`);
      });
    } catch (error) {
      await dropDatabase(testDatabaseUrl(build)).catch(() => {});
      // Another run finished the same fixture first (42P04: it exists): use theirs.
      if ((error as { code?: string }).code !== '42P04') throw error;
      seeded = await withAdmin((admin) => readFixture(admin, fixture));
      if (!seeded) throw error;
    }
  }
  const started = performance.now();
  await withAdmin((admin) => copyFixture(admin, fixture, run));
  const copySeconds = (performance.now() - started) / 1000;
  log(`seed: ${run} copied from ${fixture} in ${copySeconds.toFixed(1)} s`);
  return { url, seeded, source, copySeconds, drop };
}
