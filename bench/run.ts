import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import amqp from 'amqplib';
import { prisma, pointPrismaAt } from '../lib/db/prisma';
import { createTestDatabase } from '../lib/testing/test-database';
import { TEST_RABBITMQ_URL } from '../lib/testing/test-broker';
import { startAutovacuumStandIn } from './lib/autovacuum-stand-in';
import { buildConsole, startConsoleServer, type TConsoleServerHandle } from './lib/console-server';
import { renderSvg } from './lib/plot';
import { prepareSeedDatabase, type TSeedDatabase } from './lib/seed-database';
import type { TBenchContext, TBenchRow, TBenchSizes, TMeasure, TSeries } from './lib/types';

// `npm run bench`: the console measured against the raw limits of its own stack, side by
// side in one run (docs/decisions/performance.md). It creates its own database and queues,
// runs each measure, prints a table and writes bench/results/latest.json with a chart next
// to it (latest.svg). It is not a test: a missed target is reported, never asserted. It
// exits 1 only when something is wrong whatever the timings (a message lost or doubled, a
// measure that could not run).

// In this order: the throughput ratios first, on a quiet machine; then the worker's RSS,
// which is a memory figure, beside the preparation of the latency measures (seeding the
// stored messages into a database of their own, or copying the fixture an earlier run kept,
// and the console's build: CPU work that would spoil a ratio); then the latencies, on the
// seeded database (bench/lib/seed-database.ts).
const MEASURES = ['ingest', 'replay', 'rss', 'queries', 'paced-replay'] as const;
/** Measures whose figures do not depend on having the CPU to themselves. */
const BESIDE_PREPARATION = new Set<string>(['rss']);
/** Measures on the seeded database, through the console's production build. */
const ON_SEEDED = new Set<string>(['queries', 'paced-replay']);

const FULL: TBenchSizes = { ingest: 100_000, ingestRuns: 3, replay: 100_000, stored: 1_000_000, requests: 500, rss: 500_000, pacedRate: 1000, pacedSeconds: 30 };
const SMOKE: TBenchSizes = { ingest: 2000, ingestRuns: 1, replay: 2000, stored: 20_000, requests: 50, rss: 5000, pacedRate: 200, pacedSeconds: 3 };

const USAGE = `usage: npm run bench -- [--smoke] [--only ${MEASURES.join(',')}] [--ingest N] [--ingest-runs N]
  [--replay N] [--stored N] [--requests N] [--rss N] [--paced-rate N] [--paced-seconds N]
  [--reuse-build] [--fresh-seed] [--out bench/results/latest.json]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        smoke: { type: 'boolean', default: false },
        only: { type: 'string' },
        ingest: { type: 'string' },
        'ingest-runs': { type: 'string' },
        replay: { type: 'string' },
        stored: { type: 'string' },
        requests: { type: 'string' },
        rss: { type: 'string' },
        'paced-rate': { type: 'string' },
        'paced-seconds': { type: 'string' },
        'reuse-build': { type: 'boolean', default: false },
        'fresh-seed': { type: 'boolean', default: false },
        out: { type: 'string', default: 'bench/results/latest.json' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail((error as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const sizes: TBenchSizes = { ...(values.smoke ? SMOKE : FULL) };
const sizeFlags: [keyof TBenchSizes, string | undefined][] = [
  ['ingest', values.ingest], ['ingestRuns', values['ingest-runs']], ['replay', values.replay], ['stored', values.stored],
  ['requests', values.requests], ['rss', values.rss], ['pacedRate', values['paced-rate']], ['pacedSeconds', values['paced-seconds']],
];
for (const [key, raw] of sizeFlags) {
  if (raw === undefined) continue;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) fail(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a positive whole number, not "${raw}"`);
  sizes[key] = n;
}
const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? [...MEASURES];
for (const name of only) if (!(MEASURES as readonly string[]).includes(name)) fail(`--only: unknown measure "${name}"`);
if (!values.out.endsWith('.json')) fail('--out must name a .json file');

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const db = await createTestDatabase('bench');
const autovacuum = await startAutovacuumStandIn(db.url, log);
let server: TConsoleServerHandle | undefined;
let serverStarting: Promise<TConsoleServerHandle> | undefined;
let seedDb: TSeedDatabase | undefined;
let seedAutovacuum: Awaited<ReturnType<typeof startAutovacuumStandIn>> | undefined;
const ctx: TBenchContext = {
  rabbitUrl: TEST_RABBITMQ_URL,
  databaseUrl: db.url,
  prefix: `bench.${randomBytes(4).toString('hex')}`,
  smoke: values.smoke,
  sizes,
  log,
  consoleServer: () => {
    serverStarting ??= startConsoleServer({ databaseUrl: ctx.databaseUrl, rabbitUrl: TEST_RABBITMQ_URL, log }).then((s) => (server = s));
    return serverStarting;
  },
};

const rows: TBenchRow[] = [];
const series: TSeries[] = [];
const notes: string[] = [];
const broken: string[] = [];

const loaded = new Map<string, TMeasure>();
const load = async (name: string) => {
  if (!loaded.has(name)) loaded.set(name, ((await import(`./measures/${name}.ts`)) as { measure: TMeasure }).measure);
  return loaded.get(name)!;
};

/**
 * The latency measures' preparation: the seeded database (a copy of the kept fixture at
 * full sizes, a throwaway one at smoke sizes) and the console's build, started once, in
 * the background beside the memory measure or by the first latency measure.
 */
let preparing: Promise<TSeedDatabase> | undefined;
function prepare(): Promise<TSeedDatabase> {
  if (!preparing) {
    log('preparing the latency measures in the background: the seeded database and the console build');
    const seeding = prepareSeedDatabase({ stored: sizes.stored, keep: !values.smoke, fresh: values['fresh-seed'], log }).then((s) => (seedDb = s));
    const building = buildConsole({ reuseBuild: values['reuse-build'], log });
    preparing = Promise.all([seeding, building]).then(([s]) => s);
    // Handled where it is awaited; until then a failure must not end the process.
    preparing.catch(() => {});
  }
  return preparing;
}

/** From the first latency measure on, prisma(), the console and the worker the measures start point at the seeded database. */
async function moveToSeededDatabase() {
  const seeded = await prepare();
  if (ctx.databaseUrl === seeded.url) return;
  ctx.databaseUrl = seeded.url;
  ctx.seeded = seeded.seeded;
  await pointPrismaAt(seeded.url);
  // No measure uses the bench's own database from here: vacuuming what the memory measure
  // left there (500,000 deleted rows) would only take CPU from the latency measures.
  await autovacuum.stop();
  seedAutovacuum = await startAutovacuumStandIn(seeded.url, log);
  notes.push(seeded.source === 'fixture'
    ? `seeded database: a copy (${seeded.copySeconds.toFixed(1)} s) of the fixture an earlier run seeded in ${Math.round(seeded.seeded.seconds)} s; --fresh-seed seeds again`
    : `seeded database: seeded in this run in ${Math.round(seeded.seeded.seconds)} s (indexes ${Math.round(seeded.seeded.indexSeconds)} s)${values.smoke ? '' : `, kept as a fixture for later runs, copied in ${seeded.copySeconds.toFixed(1)} s`}`);
}

const started = Date.now();
try {
  for (const name of MEASURES) {
    if (!only.includes(name)) continue;
    log(`== ${name}`);
    const measureStarted = Date.now();
    try {
      const measure = await load(name);
      if (BESIDE_PREPARATION.has(name) && MEASURES.some((m) => ON_SEEDED.has(m) && only.includes(m))) void prepare();
      if (ON_SEEDED.has(name)) await moveToSeededDatabase();
      const result = await measure.run(ctx);
      rows.push(...result.rows);
      series.push(...result.series);
      notes.push(...result.notes.map((n) => `${name}: ${n}`));
      broken.push(...(result.broken ?? []).map((b) => `${name}: ${b}`));
    } catch (error) {
      broken.push(`${name}: could not run: ${(error as Error).stack ?? String(error)}`);
    }
    log(`${name} took ${Math.round((Date.now() - measureStarted) / 1000)} s`);
  }
} finally {
  await preparing?.catch(() => {});
  await server?.stop();
  const maintenance = [await autovacuum.stop(), await seedAutovacuum?.stop()].filter((m) => m != null);
  if (maintenance.length > 0) {
    const vacuums = maintenance.reduce((n, m) => n + m.vacuums, 0);
    const analyzes = maintenance.reduce((n, m) => n + m.analyzes, 0);
    notes.push(`autovacuum is off on this PostgreSQL: the bench ran its default thresholds on its own databases (${vacuums} VACUUM (ANALYZE), ${analyzes} ANALYZE); see bench/lib/autovacuum-stand-in.ts`);
  }
}

console.table(rows.map((r) => ({
  measure: r.measure, value: `${r.value} ${r.unit}`, baseline: r.baselineValue === null ? r.baseline : `${r.baselineValue} ${r.unit} (${r.baseline})`,
  ratio: r.ratio ?? '', target: r.target, met: r.met,
})));
for (const n of notes) console.log(`note: ${n}`);
for (const b of broken) console.error(`BROKEN: ${b}`);

const connection = await amqp.connect(TEST_RABBITMQ_URL).catch(() => null);
const serverProps = (connection?.connection as unknown as { serverProperties?: { version?: string } } | undefined)?.serverProperties;
await connection?.close();
const [pg] = await prisma().$queryRaw<{ server_version: string }[]>`SHOW server_version`;
const { version: nextVersion } = (await import('next/package.json', { with: { type: 'json' } })).default;
const result = {
  at: new Date().toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  smoke: values.smoke,
  sizes,
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}` },
  versions: { node: process.version, postgresql: pg?.server_version, rabbitmq: serverProps?.version, next: nextVersion },
  results: rows,
  notes,
  broken,
  series,
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, JSON.stringify(result, null, 2));
const svgPath = values.out.replace(/\.json$/, '.svg');
await writeFile(svgPath, renderSvg(series, `npm run bench, ${result.at.slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} cores${values.smoke ? ' (smoke sizes)' : ''}`));
log(`wrote ${values.out} and ${svgPath} in ${result.seconds} s`);
await db.drop();
await seedDb?.drop();
if (broken.length > 0) process.exitCode = 1;
